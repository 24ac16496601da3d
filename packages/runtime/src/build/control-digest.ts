import { createHash } from 'node:crypto';
import type { WeirConfig } from '@weir/config';
import { canonicalJSON } from '../spec/index';

/**
 * The spec's `controlDigest`: sha256 (hex) over the canonical JSON of the config sections that
 * only the primary reads and that make a config version, `{ admin, globalLimits, pull }` (an
 * absent `admin` counts as `{}`, which means the same thing: every default; `pull` and
 * `globalLimits` are hashed only when present, so configs without them keep the digest they had
 * before those sections existed). `state` is left out: it does not change what a version serves.
 *
 * `globalLimits` (issue 9) is here rather than in the spec because it holds Redis credentials:
 * only the primary talks to Redis, and the workers reach global buckets through it.
 *
 * Why a digest rather than nothing: the spec hash names a config version (ETag, history,
 * rollback). If those sections were left out, a change that only rotates an admin token would
 * hash like the running config and be dropped as "unchanged", with no version to audit or roll
 * back to. Why not the sections themselves: workers have no use for token hashes, and the spec
 * crosses IPC to every worker. Pure; same input, same digest, whatever the key order.
 */
export function controlDigest(config: WeirConfig): string {
  const sections: { admin: unknown; globalLimits?: unknown; pull?: unknown } = { admin: config.admin ?? {} };
  if (config.globalLimits !== undefined) sections.globalLimits = config.globalLimits;
  if (config.pull !== undefined) sections.pull = config.pull;
  return createHash('sha256').update(canonicalJSON(sections)).digest('hex');
}
