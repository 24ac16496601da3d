import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import type { ConfigFileMark, ConfigSource } from '../apply/index';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-write';
import { decodeVersionFile, encodeVersionFile, type VersionFileFault, type VersionMeta } from './version-file';

/** A committed version read back from the state directory. */
export interface StoredVersion extends VersionMeta {
  readonly config: WeirConfig;
}

/** One row of {@link StateStore.list}. */
export interface VersionSummary {
  readonly id: string;
  readonly version: string;
  readonly hash: string;
  readonly source: ConfigSource;
  readonly principal: string | null;
  readonly committedAt: string;
  /** True for the newest version: the one the workers serve (or will, after a restart). */
  readonly current: boolean;
}

/** A version file that was skipped. Logged by the daemon; never fatal. */
export interface StateProblem {
  /** Absolute path of the file. */
  readonly file: string;
  readonly fault: VersionFileFault | 'unreadable';
  readonly message: string;
}

/** Result of {@link StateStore.load}. */
export interface StateLoad {
  /** The newest intact version, or null when the directory holds none. */
  readonly current: StoredVersion | null;
  /** `current.file`: the config file applied most recently, for the start-up rule. */
  readonly lastFile: ConfigFileMark | null;
  /** Files that were skipped (truncated, corrupted, unreadable), oldest first. */
  readonly problems: readonly StateProblem[];
}

/** What {@link StateStore.record} stores. */
export interface RecordInput {
  readonly config: WeirConfig;
  readonly spec: { readonly version: string; readonly hash: string };
  readonly source: ConfigSource;
  readonly principal?: string | null;
  /** For a `file` apply: the file read. Default: the previous version's mark, carried over. */
  readonly file?: ConfigFileMark;
}

/** Options of {@link StateStore.open}. */
export interface StateStoreOptions {
  /** Versions kept, 1-1000, the current one included. Default `20` (config `state.historySize`). */
  readonly historySize?: number;
  /** Wall clock of `committedAt`, epoch milliseconds. Default `Date.now`. */
  readonly wallClock?: () => number;
  /** Where failures to delete old versions are logged. Default: not logged. */
  readonly logger?: Logger;
}

interface Entry {
  readonly id: number;
  readonly file: string;
  /** null: the file is damaged (reported by `load`, kept for inspection until it ages out). */
  readonly meta: VersionMeta | null;
}

const VERSIONS = 'versions';
const NAME = /^(\d{12,16})\.version$/;

function stateError(message: string, cause: unknown): WeirError {
  const reason = (cause as NodeJS.ErrnoException | null)?.code ?? (cause instanceof Error ? cause.message : String(cause));
  return new WeirError('WEIR_ERR_STATE_IO', `${message}: ${reason}`, { cause });
}

/**
 * The state directory: every committed config, so a restart serves the last one and a rollback
 * to any kept version is one call (DESIGN.md section 2, "Persistence").
 *
 *     <dir>/versions/000000000017.version     one file per committed version (version-file.ts)
 *     <dir>/versions/000000000018.version     the newest intact file is the current version
 *
 * Each commit writes one new file atomically (`writeFileAtomic`); that rename is the commit
 * point, so there is no separate "current" pointer that could disagree with the history (a
 * rollback is a new commit of an old config, with a new id). A crash mid-write leaves a
 * temporary file, removed by the next `load`; a damaged file (truncated, bit rot) fails its
 * checksum and is skipped with a problem report, and the newest intact version before it
 * becomes current. Ids are never reused, damaged files included.
 *
 * One Weir per state directory: two processes sharing one would interleave their histories.
 * Not safe for concurrent use across processes; calls within the process are serialised.
 */
export class StateStore {
  /** Absolute path of the state directory. */
  readonly dir: string;
  private readonly versionsDir: string;
  private readonly wallClock: () => number;
  private readonly logger: Logger | null;
  private size: number;
  private entries: Entry[] = [];
  private lastId = 0;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, options: StateStoreOptions) {
    this.dir = dir;
    this.versionsDir = path.join(dir, VERSIONS);
    this.wallClock = options.wallClock ?? Date.now;
    this.logger = options.logger ?? null;
    this.size = StateStore.checkSize(options.historySize ?? 20);
  }

  /**
   * Create the directory if needed (`mkdir -p`, mode 0700: the history holds configs) and check
   * that it is writable. Call `load()` next.
   *
   * @throws WeirError WEIR_ERR_STATE_IO naming the directory and the system error.
   */
  static async open(dir: string, options: StateStoreOptions = {}): Promise<StateStore> {
    const store = new StateStore(path.resolve(dir), options);
    try {
      await mkdir(store.versionsDir, { recursive: true, mode: 0o700 });
      await access(store.versionsDir, constants.W_OK | constants.R_OK | constants.X_OK);
    } catch (err) {
      throw stateError(`cannot use the state directory ${store.dir}`, err);
    }
    return store;
  }

  /** Versions kept, the current one included. */
  get historySize(): number {
    return this.size;
  }

  /** Change how many versions are kept (config `state.historySize`); applies at the next commit. */
  set historySize(size: number) {
    this.size = StateStore.checkSize(size);
  }

  /**
   * Scan the directory: remove leftovers of interrupted writes, check every version file, and
   * return the newest intact version. Damaged files are reported in `problems`, never thrown.
   *
   * @throws WeirError WEIR_ERR_STATE_IO only when the directory itself cannot be listed.
   */
  load(): Promise<StateLoad> {
    return this.serial(() => this.scan());
  }

  /**
   * Persist a committed version; resolves once it is durable. Old versions beyond
   * `historySize` are deleted afterwards.
   *
   * @throws WeirError WEIR_ERR_STATE_IO (disk full, permissions); the history is unchanged then.
   */
  record(input: RecordInput): Promise<StoredVersion> {
    return this.serial(() => this.write(input));
  }

  /** Kept versions, newest first; the first has `current: true`. Reflects `load` and `record`. */
  list(): VersionSummary[] {
    const out: VersionSummary[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const meta = (this.entries[i] as Entry).meta;
      if (meta === null) continue;
      const { id, version, hash, source, principal, committedAt } = meta;
      out.push({ id, version, hash, source, principal, committedAt, current: out.length === 0 });
    }
    return out;
  }

  /**
   * One kept version with its config (read from disk: configs are not kept in memory), or null
   * when no kept version has this id.
   *
   * @throws WeirError WEIR_ERR_STATE_IO when the file is unreadable or damaged.
   */
  async get(id: string): Promise<StoredVersion | null> {
    const entry = this.entries.find((e) => e.meta !== null && e.meta.id === id);
    if (entry === undefined) return null;
    const read = await this.readEntry(entry.file);
    if ('fault' in read) {
      throw new WeirError('WEIR_ERR_STATE_IO', `state file ${read.file} is damaged (${read.fault}): ${read.message}`);
    }
    return read;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private static checkSize(size: number): number {
    if (!Number.isInteger(size) || size < 1 || size > 1000) {
      throw new WeirError('WEIR_ERR_INTERNAL', `historySize must be an integer from 1 to 1000, got ${String(size)}`);
    }
    return size;
  }

  private async scan(): Promise<StateLoad> {
    let names: string[];
    try {
      names = await readdir(this.versionsDir);
    } catch (err) {
      throw stateError(`cannot list the state directory ${this.versionsDir}`, err);
    }
    const found: { id: number; file: string }[] = [];
    for (const name of names) {
      const file = path.join(this.versionsDir, name);
      if (name.endsWith(TEMP_SUFFIX)) {
        // An interrupted write (a crash between create and rename): never committed.
        await unlink(file).catch(() => undefined);
        continue;
      }
      const match = NAME.exec(name);
      if (match !== null) found.push({ id: Number(match[1]), file });
    }
    found.sort((a, b) => a.id - b.id);
    const problems: StateProblem[] = [];
    const entries: Entry[] = [];
    let current: StoredVersion | null = null;
    // Newest first: the first intact file is current; older ones only need their meta.
    for (let i = found.length - 1; i >= 0; i--) {
      const { id, file } = found[i] as { id: number; file: string };
      const read = await this.readEntry(file, current !== null);
      if ('fault' in read) {
        problems.unshift(read);
        entries.unshift({ id, file, meta: null });
      } else if (read.id !== String(id)) {
        problems.unshift({ file, fault: 'malformed', message: `the file names version ${read.id}` });
        entries.unshift({ id, file, meta: null });
      } else {
        if (current === null) current = read;
        entries.unshift({ id, file, meta: stripConfig(read) });
      }
    }
    this.entries = entries;
    this.lastId = Math.max(this.lastId, found.length === 0 ? 0 : (found[found.length - 1] as { id: number }).id);
    return { current, lastFile: current?.file ?? null, problems };
  }

  /** Read and check one file; with `metaOnly` the config is not parsed (it is `{}`). */
  private async readEntry(file: string, metaOnly = false): Promise<StoredVersion | StateProblem> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return { file, fault: 'unreadable', message: stateError('cannot read', err).message };
    }
    const decoded = decodeVersionFile(bytes);
    if (!decoded.ok) return { file, fault: decoded.fault, message: decoded.message };
    if (metaOnly) return { ...decoded.meta, config: {} as WeirConfig };
    try {
      return { ...decoded.meta, config: JSON.parse(decoded.configText) as WeirConfig };
    } catch (err) {
      return { file, fault: 'malformed', message: `the config line is not JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private async write(input: RecordInput): Promise<StoredVersion> {
    const id = ++this.lastId;
    let previous: VersionMeta | null = null;
    for (let i = this.entries.length - 1; i >= 0 && previous === null; i--) previous = (this.entries[i] as Entry).meta;
    const meta: VersionMeta = {
      id: String(id),
      version: input.spec.version,
      hash: input.spec.hash,
      source: input.source,
      principal: input.principal ?? null,
      committedAt: new Date(this.wallClock()).toISOString(),
      file: input.file ?? previous?.file ?? null,
    };
    const file = path.join(this.versionsDir, `${String(id).padStart(12, '0')}.version`);
    try {
      await writeFileAtomic(file, encodeVersionFile(meta, JSON.stringify(input.config)), { mode: 0o600 });
    } catch (err) {
      throw stateError(`cannot write ${file}`, err);
    }
    this.entries.push({ id, file, meta });
    await this.trim();
    return { ...meta, config: input.config };
  }

  /** Delete every file older than the oldest of the newest `historySize` intact versions. */
  private async trim(): Promise<void> {
    let kept = 0;
    let cut = -1;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if ((this.entries[i] as Entry).meta === null) continue;
      if (++kept === this.size) {
        cut = i;
        break;
      }
    }
    if (cut <= 0) return;
    const removed = this.entries.slice(0, cut);
    this.entries = this.entries.slice(cut);
    for (const entry of removed) {
      try {
        await unlink(entry.file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.logger?.warn({ err, file: entry.file }, 'cannot delete an old state version');
      }
    }
  }
}

function stripConfig(version: StoredVersion): VersionMeta {
  const { id, version: v, hash, source, principal, committedAt, file } = version;
  return { id, version: v, hash, source, principal, committedAt, file };
}
