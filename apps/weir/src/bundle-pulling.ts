import type { PullConfig, WeirConfig } from '@weir/config';
import { BundlePuller, checkHeldBundle, type BundlePullerOptions, type ConfigSource, type PulledBundle, type PulledBundleFile, type PullStatus } from '@weir/controlplane';
import { toErrorJSON } from '@weir/errors';
import type { BundleReading, Logger } from '@weir/obs';

/** Options of {@link BundlePulling}. */
export interface BundlePullingOptions {
  /** The state directory's `pulled.bundle`. */
  readonly file: PulledBundleFile;
  /** The bundle kept from before this start (read once, at start), or null. */
  readonly held: PulledBundle | null;
  readonly logger: Logger;
  /** Everything a puller needs besides its section, the store and the kept bundle. */
  readonly puller: Omit<BundlePullerOptions, 'section' | 'store' | 'held' | 'logger'>;
}

/**
 * The daemon's bundle puller, following the committed config: `follow(config)` after every commit
 * creates the puller when a `pull` section appears, reconfigures it when the section changes, and
 * stops it when the section goes (config.md, "pull"). The revision floor and the kept bundle
 * survive a stop and a new start of the puller, so removing and restoring `pull` cannot open a
 * window for a replayed bundle. Polling starts with `start()`, once Weir is up.
 */
export class BundlePulling {
  private readonly file: PulledBundleFile;
  private readonly logger: Logger;
  private readonly options: BundlePullingOptions['puller'];
  private held: PulledBundle | null;
  private puller: BundlePuller | null = null;
  private started = false;
  private stopped = false;

  constructor(options: BundlePullingOptions) {
    this.file = options.file;
    this.held = options.held;
    this.logger = options.logger;
    // S3 credentials come from the primary's environment as it is at start (operations.md,
    // "Bundles"): a copy, so a later change of process.env does not reach the puller.
    this.options = { environment: { ...process.env }, ...options.puller };
  }

  /**
   * The apply manager's compose step (operations.md, "Bundles"): a config from the file or the
   * admin API that has a `pull` section (mode `apply`) is a bootstrap once a bundle is kept: the
   * kept bundle's config is applied instead, with that `pull` section, provided the bundle
   * verifies under its keys now. So rotating keys in the file does not replace the bundle's
   * routes, and whatever the bootstrap says is served only until the first bundle. A config
   * without `pull` is applied as given (and stops the puller): that is how a host leaves the
   * bundle. Rollbacks are applied as given too.
   */
  compose(config: unknown, source: ConfigSource): unknown {
    if ((source !== 'file' && source !== 'admin') || this.held === null) return config;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
    const pull = (config as { readonly pull?: unknown }).pull;
    if (typeof pull !== 'object' || pull === null || (pull as PullConfig).mode === 'rollout') return config;
    try {
      const check = checkHeldBundle(this.held, pull as PullConfig, { now: Date.now() });
      if (!check.ok) {
        const json = toErrorJSON(check.error);
        this.logger.warn({ source, revision: this.held.revision, code: json.code, message: json.message }, 'kept bundle not served: the config is applied as given');
        return config;
      }
      this.logger.info({ source, revision: check.revision }, 'the kept bundle is served with the pull section of this config');
      return check.config;
    } catch (err) {
      // A `pull` section of the wrong shape: validation of the config as given reports it.
      this.logger.debug({ err }, 'kept bundle not checked against an invalid pull section');
      return config;
    }
  }

  /** Follow a committed config's `pull` section. */
  follow(config: WeirConfig): void {
    if (this.stopped) return;
    const section = config.pull;
    if (section === undefined) {
      if (this.puller === null) return;
      const old = this.puller;
      this.puller = null;
      void old.stop();
      this.logger.info({}, 'bundle puller stopped: the config has no pull section');
      return;
    }
    if (this.puller !== null) {
      this.puller.update(section);
      return;
    }
    this.puller = new BundlePuller({
      ...this.options,
      section,
      held: this.held,
      logger: this.logger,
      store: {
        save: async (bundle) => {
          this.held = bundle;
          await this.file.save(bundle);
        },
      },
    });
    if (this.started) this.puller.start();
  }

  /** Start polling (now, and whenever a puller is created later). */
  start(): void {
    this.started = true;
    this.puller?.start();
  }

  /** Stop for good (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    const puller = this.puller;
    this.puller = null;
    await puller?.stop();
  }

  /** `pull` of `/admin/status`: null without a puller. */
  status(): PullStatus | null {
    return this.puller?.status() ?? null;
  }

  /** What the bundle gauges read at scrape time. */
  reading(): BundleReading {
    return { revision: this.puller?.currentRevision ?? this.held?.revision ?? null, lastSuccessMs: this.puller?.lastSuccess ?? null };
  }
}
