import type { WeirConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import { diffConfigs } from '../admin/index';

/**
 * A rollout serves the candidate on the stable's listeners, processes and admin settings: it may
 * change routes and upstreams only (admin-api.md, "Rollouts"). Throws
 * WEIR_ERR_ROLLOUT_UNSUPPORTED naming what else changed, or when nothing changed at all.
 */
export function checkRolloutable(running: WeirConfig, candidate: WeirConfig): void {
  const diff = diffConfigs(running, candidate);
  if (!diff.changed) throw new WeirError('WEIR_ERR_ROLLOUT_UNSUPPORTED', 'the candidate equals the running config: there is nothing to roll out');
  const other: string[] = [];
  const l = diff.listeners;
  for (const name of [...l.added, ...l.removed, ...l.changed.map((c) => c.name)]) other.push(`listener "${name}"`);
  const s = diff.settings;
  for (const name of [...s.added, ...s.removed, ...s.changed.map((c) => c.name)]) other.push(name);
  if (other.length !== 0) {
    throw new WeirError(
      'WEIR_ERR_ROLLOUT_UNSUPPORTED',
      `a rollout may change routes and upstreams only; this candidate also changes ${other.join(', ')}: apply those changes directly (POST /admin/config), then roll out the rest`,
    );
  }
}
