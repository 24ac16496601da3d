import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/index';
import type { SourceMark } from './bundle-source';

/** The file in the state directory that keeps the last verified bundle. */
export const PULLED_BUNDLE_FILE = 'pulled.bundle';

/** First line of {@link PULLED_BUNDLE_FILE}'s metadata. */
const FORMAT = 'weir-pulled-bundle/1';

/** The last bundle the puller verified and applied (or started a rollout with). */
export interface PulledBundle {
  /** The bundle file's exact bytes, as fetched and verified. */
  readonly bytes: Buffer;
  /** Its revision: the puller accepts only newer ones, across restarts too (replay protection). */
  readonly revision: number;
  /** sha256 (hex) of `bytes`: the same file fetched again without a 304 is "unchanged". */
  readonly fileSha256: string;
  /** Where it came from. */
  readonly source: string;
  /** The source's validators for it, sent on the first poll after a restart. */
  readonly mark: SourceMark;
  /** When it was verified (ISO 8601). */
  readonly verifiedAt: string;
}

/** sha256 (hex) of a bundle file's bytes. */
export function fileSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * `pulled.bundle` in the state directory: one line of JSON metadata (format, revision, sha256 of
 * the bundle, source, validators, time), then the bundle file's exact bytes. Written atomically
 * (temp file, fsync, rename) after every bundle the puller applies, so that a restart knows the
 * revision it runs (a replayed older bundle stays rejected) and can serve the bundle while the
 * source is down. A file that is damaged (its sha256 does not match) or of another format reads
 * as absent: the bundle is verified again before it is served anyway.
 */
export class PulledBundleFile {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, PULLED_BUNDLE_FILE);
  }

  /** The kept bundle, or null when there is none or it is unreadable or damaged. */
  async load(): Promise<PulledBundle | null> {
    let data: Buffer;
    try {
      data = await fs.readFile(this.file);
    } catch {
      return null;
    }
    const newline = data.indexOf(0x0a);
    if (newline < 0) return null;
    try {
      const meta = JSON.parse(data.subarray(0, newline).toString('utf8')) as Record<string, unknown>;
      const bytes = Buffer.from(data.subarray(newline + 1));
      const mark = meta['mark'] as Record<string, unknown> | undefined;
      if (meta['format'] !== FORMAT || typeof meta['revision'] !== 'number' || meta['fileSha256'] !== fileSha256(bytes)) return null;
      return {
        bytes,
        revision: meta['revision'],
        fileSha256: meta['fileSha256'],
        source: typeof meta['source'] === 'string' ? meta['source'] : '',
        mark: { etag: typeof mark?.['etag'] === 'string' ? mark['etag'] : null, lastModified: typeof mark?.['lastModified'] === 'string' ? mark['lastModified'] : null },
        verifiedAt: typeof meta['verifiedAt'] === 'string' ? meta['verifiedAt'] : '',
      };
    } catch {
      return null;
    }
  }

  /** Replace the kept bundle. */
  async save(bundle: PulledBundle): Promise<void> {
    const meta = {
      format: FORMAT,
      revision: bundle.revision,
      fileSha256: bundle.fileSha256,
      source: bundle.source,
      mark: bundle.mark,
      verifiedAt: bundle.verifiedAt,
    };
    await writeFileAtomic(this.file, Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8'), bundle.bytes]), { mode: 0o600 });
  }
}
