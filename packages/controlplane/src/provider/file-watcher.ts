import { watch as fsWatch, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { WeirError, isWeirError } from '@weir/errors';
import { contentHash, type FileProvider } from './file-provider';

/** The timer functions the watcher uses; unit tests pass a fake to step time by hand. */
export interface WatchTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A running directory watch. */
export interface DirectoryWatch {
  close(): void;
}

/**
 * Start watching one directory: `onEvent` for anything that happens in it, `onError` if the
 * watch itself breaks. The default uses `fs.watch`; unit tests inject events by hand.
 */
export type WatchDirectory = (dir: string, onEvent: () => void, onError: (err: Error) => void) => DirectoryWatch;

/** What the watcher reports when the file's content changed. */
export type FileChange =
  | { readonly ok: true; readonly config: unknown; readonly hash: string }
  /** Unreadable (`hash` null: missing or no permission) or not JSON. */
  | { readonly ok: false; readonly error: WeirError; readonly hash: string | null };

/** Options of {@link FileWatcher}. */
export interface FileWatcherOptions {
  readonly provider: FileProvider;
  /** Called once per content change, after the debounce; the next check waits for it to settle. */
  readonly onChange: (change: FileChange) => void | Promise<void>;
  /** Quiet time after the last event before the file is read. Default `200` ms. */
  readonly debounceMs?: number;
  /**
   * Content hash of the file as last applied (or read): events that leave the file with this
   * content are ignored. Default null (the first readable content counts as a change).
   */
  readonly initialHash?: string | null;
  /** Default: the global `setTimeout` / `clearTimeout`. */
  readonly timers?: WatchTimers;
  /** Default: `fs.watch` on the directory. */
  readonly watchDirectory?: WatchDirectory;
  /** The watch broke (the directory was removed, say): watching stops; SIGHUP still works. */
  readonly onError?: (err: Error) => void;
}

const realTimers: WatchTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `fs.watch` of a directory; `persistent: false` so the watch never keeps a process alive. */
export const watchDirectoryWithFs: WatchDirectory = (dir, onEvent, onError) => {
  const watcher = fsWatch(dir, { persistent: false }, () => onEvent());
  watcher.on('error', onError);
  return { close: () => watcher.close() };
};

/**
 * Watches the config file and reports each change of its content, debounced.
 *
 * - It watches the file's *directory*, not the file: editors and deploy tools replace a file
 *   by writing a temporary one and renaming it over the original (vim, `sed -i`, Ansible,
 *   Kubernetes ConfigMaps swapping a `..data` symlink), which leaves a watch on the old inode
 *   silent forever. Every event in the directory counts, whatever its file name (a ConfigMap
 *   update names `..data`, not the file), and the file's content hash decides whether anything
 *   changed. When the path is a symlink into another directory, that directory is watched too.
 * - Debounce: the file is read `debounceMs` after the *last* event of a burst, so a multi-step
 *   save (truncate, write, write, chmod) is read once, complete.
 * - Only content changes are reported: a read whose sha256 equals the last one seen (a `touch`,
 *   an unrelated file in the directory, a save without changes) is dropped. A content change to
 *   an unreadable or non-JSON file is reported as `ok: false` once, not on every event.
 *
 * Checks run one at a time: events during a check arm one more check after it.
 */
export class FileWatcher {
  private readonly provider: FileProvider;
  private readonly onChange: (change: FileChange) => void | Promise<void>;
  private readonly debounceMs: number;
  private readonly timers: WatchTimers;
  private readonly watchDirectory: WatchDirectory;
  private readonly onError: ((err: Error) => void) | null;
  private watches: DirectoryWatch[] = [];
  private lastHash: string | null;
  private timer: unknown = null;
  private checking: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(options: FileWatcherOptions) {
    this.provider = options.provider;
    this.onChange = options.onChange;
    this.debounceMs = options.debounceMs ?? 200;
    this.lastHash = options.initialHash ?? null;
    this.timers = options.timers ?? realTimers;
    this.watchDirectory = options.watchDirectory ?? watchDirectoryWithFs;
    this.onError = options.onError ?? null;
  }

  /**
   * Start watching. Idempotent.
   *
   * @throws WeirError WEIR_ERR_CONFIG_READ when the directory cannot be watched (missing, no
   *   permission, out of inotify watches).
   */
  start(): void {
    if (this.watches.length > 0 || this.closed) return;
    for (const dir of this.directories()) {
      try {
        this.watches.push(this.watchDirectory(dir, () => this.event(), (err) => this.broken(err)));
      } catch (err) {
        this.close();
        throw new WeirError('WEIR_ERR_CONFIG_READ', `cannot watch ${dir} for changes of ${this.provider.path}`, { cause: err });
      }
    }
  }

  /** Stop watching and drop any pending check. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const watch of this.watches) watch.close();
    this.watches = [];
  }

  /**
   * Check the file as if an event had arrived (debounced like one). The daemon calls it right
   * after start-up, for changes made between the start-up read and the watch.
   */
  recheck(): void {
    this.event();
  }

  /**
   * Record content read elsewhere (a SIGHUP reload read the file): later events that leave the
   * file with this content are not reported again.
   */
  seen(hash: string | null): void {
    this.lastHash = hash;
  }

  /** Resolves once no check is running (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.checking !== null) await this.checking;
  }

  private directories(): string[] {
    const dirs = [path.dirname(this.provider.path)];
    try {
      const target = path.dirname(realpathSync(this.provider.path));
      if (target !== dirs[0]) dirs.push(target);
    } catch {
      // Missing for now: the directory watch sees it appear.
    }
    return dirs;
  }

  private event(): void {
    if (this.closed) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => this.fire(), this.debounceMs);
  }

  private fire(): void {
    this.timer = null;
    if (this.closed) return;
    if (this.checking !== null) {
      this.again = true;
      return;
    }
    this.checking = this.check().finally(() => {
      this.checking = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.event();
      }
    });
  }

  private async check(): Promise<void> {
    let change: FileChange;
    try {
      const bytes = await this.provider.readBytes();
      const hash = contentHash(bytes);
      if (hash === this.lastHash) return;
      this.lastHash = hash;
      try {
        change = { ok: true, config: this.provider.parse(bytes), hash };
      } catch (err) {
        change = { ok: false, error: asWeirError(err), hash };
      }
    } catch (err) {
      // Unreadable: reported once, until the file is readable again.
      if (this.lastHash === null) return;
      this.lastHash = null;
      change = { ok: false, error: asWeirError(err), hash: null };
    }
    if (this.closed) return;
    try {
      await this.onChange(change);
    } catch (err) {
      this.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private broken(err: Error): void {
    for (const watch of this.watches) watch.close();
    this.watches = [];
    this.onError?.(err);
  }
}

function asWeirError(err: unknown): WeirError {
  return isWeirError(err) ? err : new WeirError('WEIR_ERR_INTERNAL', 'reading the config file failed unexpectedly', { cause: err });
}
