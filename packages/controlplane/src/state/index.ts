/**
 * The state directory module (DESIGN.md section 2, "Persistence"): committed config versions
 * kept across restarts, for the start-up rule and for rollback.
 *
 * - `resolveStateDir(configured, env)`: which directory (flag or `state.dir`, then
 *   `$STATE_DIRECTORY`, `/var/lib/weir` as root, `$XDG_STATE_HOME/weir`).
 * - `StateStore.open(dir, options)`, then `load()` -> `{ current, lastFile, problems }` (never
 *   throws for damaged files), `record({ config, spec: { version, hash }, source, principal?,
 *   file? })` after each commit, `list()` -> `VersionSummary[]` newest first (sync), and
 *   `get(id)` -> `Promise<StoredVersion | null>` (reads the config from disk; rollback applies
 *   `get(id).config` through the ApplyManager).
 * - `writeFileAtomic(file, data, { mode })`: temp file, fsync, rename, directory fsync; for
 *   anything else kept in the state directory (the admin API's generated token).
 */
export { StateStore } from './state-store';
export type { RecordInput, StateLoad, StateProblem, StateStoreOptions, StoredVersion, VersionSummary } from './state-store';
export { processStateDirEnvironment, resolveStateDir } from './state-dir';
export type { ResolvedStateDir, StateDirEnvironment, StateDirOrigin } from './state-dir';
export { fsyncDirectory, writeFileAtomic } from './atomic-write';
export type { AtomicWriteOptions } from './atomic-write';
export { VERSION_FILE_FORMAT, decodeVersionFile, encodeVersionFile } from './version-file';
export type { DecodedVersionFile, VersionFileFault, VersionMeta } from './version-file';
