import type { ListenerInfo } from '@weir/cluster';
import { validateConfig, type WeirConfig } from '@weir/config';
import { WeirError, isWeirError, toErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';
import type { Spec } from '@weir/runtime';
import { ThreadSpecBuilder, type SpecBuilder } from './spec-builder';

/** Where a config came from; logged with every outcome. */
export type ConfigSource = 'default' | 'file' | 'admin' | 'bundle';

/**
 * Where snapshots go: the fleet's two-phase apply. `Fleet` from `@weir/cluster/primary`
 * satisfies it; tests pass a fake.
 */
export interface SnapshotTarget {
  apply(
    spec: Uint8Array,
    version: string,
    options?: { readonly timeoutMs?: number },
  ): Promise<{ readonly version: string; readonly listeners: readonly ListenerInfo[] }>;
}

/** Options of {@link ApplyManager}. */
export interface ApplyManagerOptions {
  readonly fleet: SnapshotTarget;
  /** Logs `config applied`, `config unchanged` and `config rejected`. */
  readonly logger: Logger;
  /** Default: a {@link ThreadSpecBuilder} (one piscina thread), closed by `close()`. */
  readonly builder?: SpecBuilder;
  /** Prepare timeout handed to the fleet. Default: the fleet's own (10 s). */
  readonly applyTimeoutMs?: number;
  /** Source of `durationMs`. Default `performance.now()`. */
  readonly now?: () => number;
}

/** The config the workers serve. */
export interface AppliedConfig {
  readonly config: WeirConfig;
  readonly spec: Spec;
  readonly source: ConfigSource;
  /** Listeners as bound by the workers at this version's commit. */
  readonly listeners: readonly ListenerInfo[];
}

/** Result of an accepted apply. A refused apply rejects with a WeirError instead. */
export type ApplyOutcome =
  | {
      /** Every worker now serves `version`. */
      readonly changed: true;
      readonly version: string;
      readonly hash: string;
      readonly spec: Spec;
      readonly listeners: readonly ListenerInfo[];
      /** Validation to commit, in milliseconds. */
      readonly durationMs: number;
    }
  | {
      /** The config's hash equals the running one: nothing was sent to the workers. */
      readonly changed: false;
      readonly version: string;
      readonly hash: string;
      readonly spec: Spec;
    };

/**
 * The one way a config reaches the workers: validate (ajv + semantic checks) -> build the spec
 * in a piscina thread -> encode -> two-phase apply on the fleet. Every provider (file, admin API,
 * bundle puller) goes through `apply`, so a bad config is refused the same way whatever its
 * source, and the running version stays.
 *
 * Applies run one at a time in call order. A config whose content hash equals the running one
 * is a no-op (`changed: false`): a SIGHUP with an untouched file costs one build, no IPC.
 */
export class ApplyManager {
  private readonly fleet: SnapshotTarget;
  private readonly logger: Logger;
  private readonly builder: SpecBuilder;
  private readonly applyTimeoutMs: number | undefined;
  private readonly now: () => number;
  private tail: Promise<unknown> = Promise.resolve();
  private applied: AppliedConfig | null = null;
  private closed = false;

  constructor(options: ApplyManagerOptions) {
    this.fleet = options.fleet;
    this.logger = options.logger;
    this.builder = options.builder ?? new ThreadSpecBuilder();
    this.applyTimeoutMs = options.applyTimeoutMs;
    this.now = options.now ?? ((): number => performance.now());
  }

  /** The config the workers serve, or null before the first successful apply. */
  get current(): AppliedConfig | null {
    return this.applied;
  }

  /**
   * Validate, build and apply `config` (parsed JSON of unknown shape). Rejects with the reason,
   * after logging `config rejected`: WEIR_ERR_CONFIG_INVALID (with every problem in `details`),
   * WEIR_ERR_APPLY_REJECTED / _TIMEOUT (a worker refused; no worker changed),
   * WEIR_ERR_NO_WORKERS or WEIR_ERR_DRAINING.
   */
  apply(config: unknown, source: ConfigSource, options: { readonly version?: string } = {}): Promise<ApplyOutcome> {
    const run = this.tail.then(() => this.run(config, source, options.version));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Refuse further applies and stop the build thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.builder.close();
  }

  private async run(config: unknown, source: ConfigSource, version: string | undefined): Promise<ApplyOutcome> {
    const started = this.now();
    try {
      if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the apply manager is closed');
      const check = validateConfig(config);
      if (!check.ok) throw check.error;
      const built = await this.builder.build(check.config, version === undefined ? {} : { version });
      const running = this.applied;
      if (running !== null && running.spec.hash === built.spec.hash) {
        this.logger.info({ version: running.spec.version, source }, 'config unchanged');
        return { changed: false, version: running.spec.version, hash: running.spec.hash, spec: running.spec };
      }
      const result = await this.fleet.apply(
        built.bytes,
        built.spec.version,
        this.applyTimeoutMs === undefined ? {} : { timeoutMs: this.applyTimeoutMs },
      );
      this.applied = { config: check.config, spec: built.spec, source, listeners: result.listeners };
      const durationMs = Math.round(this.now() - started);
      this.logger.info({ version: built.spec.version, source, durationMs }, 'config applied');
      return {
        changed: true,
        version: built.spec.version,
        hash: built.spec.hash,
        spec: built.spec,
        listeners: result.listeners,
        durationMs,
      };
    } catch (err) {
      const error = isWeirError(err) ? err : new WeirError('WEIR_ERR_INTERNAL', 'apply failed unexpectedly', { cause: err });
      this.logRejected(source, error);
      throw error;
    }
  }

  private logRejected(source: ConfigSource, error: WeirError): void {
    const json = toErrorJSON(error);
    const details = json.details ?? (json.pointer === undefined ? undefined : [{ pointer: json.pointer, message: json.message }]);
    this.logger.error(
      details === undefined ? { source, code: json.code, message: json.message } : { source, code: json.code, message: json.message, details },
      'config rejected',
    );
  }
}
