import { createHash } from 'node:crypto';
import type { WeirConfig } from '@weir/config';
import { canonicalJSON } from '../spec/index';

/**
 * The spec's `controlDigest`: sha256 (hex) over the canonical JSON of the config sections that
 * only the primary reads and that make a config version, `{ admin, pull }` (an absent `admin`
 * counts as `{}`, which means the same thing: every default; `pull` is hashed only when present,
 * so configs without a puller keep the digest they had before it existed). `state` is left out:
 * it does not change what a version serves.
 *
 * Why a digest rather than nothing: the spec hash names a config version (ETag, history,
 * rollback). If those sections were left out, a change that only rotates an admin token would
 * hash like the running config and be dropped as "unchanged", with no version to audit or roll
 * back to. Why not the sections themselves: workers have no use for token hashes, and the spec
 * crosses IPC to every worker. Pure; same input, same digest, whatever the key order.
 */
export function controlDigest(config: WeirConfig): string {
  return createHash('sha256')
    .update(canonicalJSON(config.pull === undefined ? { admin: config.admin ?? {} } : { admin: config.admin ?? {}, pull: config.pull }))
    .digest('hex');
}
