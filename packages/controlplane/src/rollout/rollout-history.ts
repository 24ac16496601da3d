import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/index';
import type { RolloutRecord } from './rollout-record';

/** The file in the state directory that keeps rollouts across restarts. */
export const ROLLOUTS_FILE = 'rollouts.json';

/** How many finished rollouts are kept (the live one is always kept). */
export const ROLLOUT_HISTORY_SIZE = 20;

/** Where rollout records persist. `RolloutHistoryFile` keeps them in the state directory. */
export interface RolloutPersistence {
  /** Every kept record, newest first; empty when none was kept or the file is unreadable. */
  load(): Promise<RolloutRecord[]>;
  save(records: readonly RolloutRecord[]): Promise<void>;
}

/**
 * `rollouts.json` in the state directory, written atomically after every transition, so a
 * restarted primary finds a rollout that was running and can end it (admin-api.md: it is marked
 * aborted by `restart`, never resumed).
 */
export class RolloutHistoryFile implements RolloutPersistence {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, ROLLOUTS_FILE);
  }

  async load(): Promise<RolloutRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(text);
      const records = (parsed as { rollouts?: unknown }).rollouts;
      return Array.isArray(records) ? (records.filter(isRecordLike) as RolloutRecord[]) : [];
    } catch {
      return [];
    }
  }

  async save(records: readonly RolloutRecord[]): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify({ format: 1, rollouts: records.slice(0, ROLLOUT_HISTORY_SIZE + 1) })}\n`, { mode: 0o600 });
  }
}

function isRecordLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['id'] === 'string' && typeof r['state'] === 'string' && Array.isArray(r['stages']) && Array.isArray(r['events']);
}
