import { contentHash, FileWatcher, type ApplyOptions, type ApplyOutcome, type ConfigSource, type FileChange, type FileProvider } from '@weir/controlplane';
import { toErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { logRejected } from './log-rejected';

/** The apply manager, as the reloader uses it. */
export interface FileApplier {
  apply(config: unknown, source: ConfigSource, options?: ApplyOptions): Promise<ApplyOutcome>;
}

/** Options of {@link FileReloader}. */
export interface FileReloaderOptions {
  readonly provider: FileProvider;
  readonly applier: FileApplier;
  readonly logger: Logger;
  /** Counts file contents that were not applied (`weir_config_file_rejections_total`). */
  readonly rejected: (code: string) => void;
  /** Watch the file (default) or reload on SIGHUP only (`--no-watch`). */
  readonly watch: boolean;
  /** Content hash of the file as read at start; only a different content is applied by the watch. */
  readonly initialHash: string | null;
  /** Debounce of the watch. Default 200 ms. */
  readonly debounceMs?: number;
}

/**
 * The config file's two ways in while Weir runs: SIGHUP (`reload()`, which always applies the
 * file, so `systemctl reload weir` makes the file win over admin API changes) and the watch
 * (which applies the file when its content changed, so saving it is enough). Both go through
 * the apply manager with source `file` and the file's content hash. A file that cannot be read,
 * is not JSON, is invalid or is refused by a worker is logged as `config rejected`, counted,
 * and never applied; the running version stays.
 */
export class FileReloader {
  private readonly provider: FileProvider;
  private readonly applier: FileApplier;
  private readonly logger: Logger;
  private readonly rejected: (code: string) => void;
  private readonly watcher: FileWatcher | null;

  constructor(options: FileReloaderOptions) {
    this.provider = options.provider;
    this.applier = options.applier;
    this.logger = options.logger;
    this.rejected = options.rejected;
    this.watcher = options.watch
      ? new FileWatcher({
          provider: options.provider,
          initialHash: options.initialHash,
          ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
          onChange: (change) => this.changed(change),
          onError: (err) => this.logger.warn({ err, path: this.provider.path }, 'config file watch stopped; reload with SIGHUP'),
        })
      : null;
  }

  /** Start watching (if enabled), and check once for changes made during start-up. */
  start(): void {
    if (this.watcher === null) return;
    try {
      this.watcher.start();
    } catch (err) {
      this.logger.warn({ err, path: this.provider.path }, 'cannot watch the config file; reload with SIGHUP');
      return;
    }
    this.logger.info({ path: this.provider.path }, 'watching the config file');
    this.watcher.recheck();
  }

  /** SIGHUP: read the file and apply it, changed or not. */
  async reload(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await this.provider.readBytes();
    } catch (err) {
      this.watcher?.seen(null);
      this.reject(err);
      return;
    }
    const hash = contentHash(bytes);
    this.watcher?.seen(hash);
    let config: unknown;
    try {
      config = this.provider.parse(bytes);
    } catch (err) {
      this.reject(err);
      return;
    }
    await this.apply(config, hash);
  }

  /** Stop watching. */
  close(): void {
    this.watcher?.close();
  }

  private async changed(change: FileChange): Promise<void> {
    this.logger.info({ path: this.provider.path, hash: change.hash }, 'config file changed');
    if (change.ok) await this.apply(change.config, change.hash);
    else this.reject(change.error);
  }

  private async apply(config: unknown, hash: string): Promise<void> {
    try {
      await this.applier.apply(config, 'file', { file: { path: this.provider.path, hash } });
    } catch (err) {
      const code = toErrorJSON(err).code;
      // A running rollout owns the config: the apply manager refused this before validating it,
      // so nothing was logged yet. Otherwise it was logged as `config rejected`.
      if (code === 'WEIR_ERR_ROLLOUT_CONFLICT') {
        this.logger.warn({ path: this.provider.path, code, message: toErrorJSON(err).message }, 'config file change not applied: a rollout is running (send SIGHUP after it ends)');
      }
      this.rejected(code);
    }
  }

  private reject(err: unknown): void {
    logRejected(this.logger, 'file', err);
    this.rejected(toErrorJSON(err).code);
  }
}
