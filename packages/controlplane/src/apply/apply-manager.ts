import type { ListenerInfo } from '@weir/cluster';
import { documentShapeError, type WeirConfig } from '@weir/config';
import { WeirError, isWeirError, toErrorJSON, type ErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';
import type { Spec } from '@weir/runtime';
import { NOOP_SPAN, type ControlSpan, type ControlTracer, type SpanParent } from '../tracing/index';
import { ThreadSpecBuilder, type BuiltSpec, type SpecBuilder } from './spec-builder';

/**
 * Where a config came from; logged with every outcome, recorded in the state directory's
 * history and used as the `source` label of `weir_config_applies_total`.
 *
 * - `default`: the embedded default config (no `--config`, empty state directory);
 * - `file`: the config file, at start, on SIGHUP or when the watched file changed;
 * - `admin`: `POST /admin/config`;
 * - `rollback`: a rollback to a kept version (admin API);
 * - `bundle`: a verified bundle from the puller;
 * - `state`: at start, the last committed version read back from the state directory;
 * - `rollout`: a rollout's candidate, promoted after its last stage.
 */
export type ConfigSource = 'default' | 'file' | 'admin' | 'rollback' | 'bundle' | 'state' | 'rollout';

/**
 * Refuses applies while something else owns the running config (a rollout): returns the error
 * to refuse with, or null to let the apply run. Checked in the apply queue.
 */
export type ApplyGate = (source: ConfigSource) => WeirError | null;

/**
 * Turns the config a source gave into the config to apply, in the apply queue before
 * validation (the daemon's bundle puller serves its kept bundle in place of a file or admin
 * config that carries a `pull` section: operations.md, "Bundles"). Returns `config` itself when
 * there is nothing to change.
 */
export type ApplyCompose = (config: unknown, source: ConfigSource) => unknown;

/** The config file a config was read from, and the sha256 (hex) of the file's exact bytes. */
export interface ConfigFileMark {
  readonly path: string;
  readonly hash: string;
}

/** Options of one {@link ApplyManager.apply} call. */
export interface ApplyOptions {
  /** Version id to give the spec (see `BuildSpecOptions.version`). Default: derived from the hash. */
  readonly version?: string;
  /** Who asked: the admin token's name. Recorded in the history and `lastApply`. Default: none. */
  readonly principal?: string;
  /** For `file` applies: the file read. Recorded so a restart can tell whether the file changed. */
  readonly file?: ConfigFileMark;
  /**
   * Checked in the apply queue, before validation, against the config running at that moment;
   * throwing refuses the apply with that error (not logged, not counted as an apply). The admin
   * API's `If-Match` lives here: checked any earlier, two writers holding the same ETag would
   * both pass and the second would silently overwrite the first. Default: none.
   */
  readonly precondition?: (running: AppliedConfig | null) => void;
  /**
   * The span this apply is part of (a rollout's promotion, a bundle pull): its
   * `weir.config.apply` span becomes a child of it. Default: a root span.
   */
  readonly parent?: SpanParent | null;
}

/** A config that passed validation and built, not applied ({@link ApplyManager.check}). */
export interface CheckedConfig {
  readonly config: WeirConfig;
  readonly spec: Spec;
}

/** How an apply ended: `applied` (every worker committed), `unchanged` (no-op) or `rejected`. */
export type ApplyOutcomeKind = 'applied' | 'unchanged' | 'rejected';

/** The last apply, for status pages (`GET /admin/status`). */
export interface LastApply {
  /** The version applied, or the running one for `unchanged`; for `rejected` the version that was built, null if none was. */
  readonly version: string | null;
  readonly source: ConfigSource;
  readonly principal: string | null;
  readonly outcome: ApplyOutcomeKind;
  /** When the apply ended (ISO 8601, wall clock). */
  readonly at: string;
  /** Request to outcome, in milliseconds. */
  readonly durationMs: number;
  /** Why it was rejected (`rejected` only). */
  readonly error?: ErrorJSON;
}

/** What {@link ApplyManagerOptions.onFinished} hears after every apply. */
export interface ApplyEvent {
  readonly source: ConfigSource;
  readonly outcome: ApplyOutcomeKind;
  /** Request to outcome, in seconds (for the duration histogram). */
  readonly seconds: number;
  /** The WEIR_ERR_* code of a rejection. */
  readonly code?: string;
}

/** What {@link ApplyManagerOptions.onCommitted} hears after a commit. */
export interface CommittedApply {
  readonly applied: AppliedConfig;
  readonly file?: ConfigFileMark;
}

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
  /** Wall clock of `lastApply.at`, in epoch milliseconds. Default `Date.now`. */
  readonly wallClock?: () => number;
  /**
   * Called after every commit, before `apply` resolves (the daemon records the version in the
   * state directory here, so an admin API answer means "committed and persisted"). A failure is
   * logged (`state write failed`) and does not fail the apply: the workers already serve it.
   */
  readonly onCommitted?: (committed: CommittedApply) => Promise<void> | void;
  /** Called after every apply, whatever its outcome (the daemon counts them in metrics). */
  readonly onFinished?: (event: ApplyEvent) => void;
  /**
   * Records a `weir.config.apply` span per apply, from its turn in the queue to its outcome
   * (issue 18; tracing.md, "Control-plane spans"). Refused applies (gate, precondition) are not
   * applies and get none. Default: none.
   */
  readonly tracer?: ControlTracer;
}

/** The config the workers serve. */
export interface AppliedConfig {
  readonly config: WeirConfig;
  readonly spec: Spec;
  readonly source: ConfigSource;
  /** Who applied it (admin token name); null for files, defaults and bundles. */
  readonly principal: string | null;
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
 * The one way a config reaches the workers: shape limits -> validate (ajv + semantic checks) and
 * build the spec, both in a piscina thread -> encode -> two-phase apply on the fleet. Every provider (file, admin API,
 * bundle puller) goes through `apply`, so a bad config is refused the same way whatever its
 * source, and the running version stays.
 *
 * Applies run one at a time in call order. A config whose content hash equals the running one
 * is a no-op (`changed: false`): a SIGHUP with an untouched file costs one build, no IPC. The
 * hash covers the certificate files' PEM text (read by every build), so a renewed certificate
 * at unchanged paths is a change.
 */
export class ApplyManager {
  private readonly fleet: SnapshotTarget;
  private readonly logger: Logger;
  private readonly builder: SpecBuilder;
  private readonly applyTimeoutMs: number | undefined;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private readonly onCommitted: ((committed: CommittedApply) => Promise<void> | void) | null;
  private readonly onFinished: ((event: ApplyEvent) => void) | null;
  private readonly tracer: ControlTracer | null;
  private last: LastApply | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private applied: AppliedConfig | null = null;
  private closed = false;
  private gate: ApplyGate | null = null;
  private compose: ApplyCompose | null = null;

  constructor(options: ApplyManagerOptions) {
    this.fleet = options.fleet;
    this.logger = options.logger;
    this.builder = options.builder ?? new ThreadSpecBuilder();
    this.applyTimeoutMs = options.applyTimeoutMs;
    this.now = options.now ?? ((): number => performance.now());
    this.wallClock = options.wallClock ?? Date.now;
    this.onCommitted = options.onCommitted ?? null;
    this.onFinished = options.onFinished ?? null;
    this.tracer = options.tracer ?? null;
  }

  /** The config the workers serve, or null before the first successful apply. */
  get current(): AppliedConfig | null {
    return this.applied;
  }

  /** How the last apply ended (any source, any outcome), or null before the first. */
  get lastApply(): LastApply | null {
    return this.last;
  }

  /**
   * Validate, build and apply `config` (parsed JSON of unknown shape). Rejects with the reason,
   * after logging `config rejected`: WEIR_ERR_CONFIG_INVALID (with every problem in `details`),
   * WEIR_ERR_APPLY_REJECTED / _TIMEOUT (a worker refused; no worker changed),
   * WEIR_ERR_NO_WORKERS or WEIR_ERR_DRAINING.
   */
  apply(config: unknown, source: ConfigSource, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    const run = this.tail.then(() => this.run(config, source, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Validate and build `config` exactly as `apply` would, and apply nothing (the admin API's
   * validate endpoint). Not queued behind applies: it changes nothing. Rejects with
   * WEIR_ERR_CONFIG_INVALID (every problem in `details`) or WEIR_ERR_DRAINING; logs nothing.
   */
  async check(config: unknown): Promise<CheckedConfig> {
    const built = await this.build(config);
    return { config: built.config, spec: built.spec };
  }

  /**
   * Installs (or with null removes) the gate every later apply passes in the queue. A refused
   * apply rejects with the gate's error and, like a failed precondition, is neither logged as a
   * rejected config nor counted.
   */
  setGate(gate: ApplyGate | null): void {
    this.gate = gate;
  }

  /** Installs (or with null removes) the compose step every later apply runs first. */
  setCompose(compose: ApplyCompose | null): void {
    this.compose = compose;
  }

  /**
   * Runs `task` in the apply queue, after every apply queued before it and before any queued
   * after: a rollout starts against the config that is running when its turn comes.
   */
  exclusive<T>(task: (running: AppliedConfig | null) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => task(this.applied));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Validates and builds `config` and returns the spec with its encoded bytes, applying
   * nothing (a rollout's candidate goes to the fleet through its own path). Rejects like
   * `check`.
   */
  async build(config: unknown, version?: string): Promise<CheckedConfig & { readonly bytes: Uint8Array }> {
    if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the apply manager is closed');
    const built: BuiltSpec = await this.validateAndBuild(config, version);
    return { config: config as WeirConfig, spec: built.spec, bytes: built.bytes };
  }

  /**
   * The shape limits here (cheap, iterative: the document must be safe to clone), then schema,
   * semantic checks and the build in the builder: in its thread for the daemon, so a config of
   * 100,000 routes does not hold the primary's event loop for the ~0.5 s its validation takes.
   * A valid config comes back as the same object.
   */
  private validateAndBuild(config: unknown, version: string | undefined): Promise<BuiltSpec> {
    const shape = documentShapeError(config);
    if (shape !== null) return Promise.reject(shape);
    return this.builder.build(config, version === undefined ? { validate: true } : { validate: true, version });
  }

  /** Refuse further applies and stop the build thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.builder.close();
  }

  private async run(config: unknown, source: ConfigSource, options: ApplyOptions): Promise<ApplyOutcome> {
    // Outside the try: a failed precondition is the caller's conflict, not a rejected config, so
    // it is neither logged as `config rejected` nor counted as the last apply.
    const refused = this.gate === null ? null : this.gate(source);
    if (refused !== null) throw refused;
    options.precondition?.(this.applied);
    if (this.compose !== null) config = this.compose(config, source);
    const started = this.now();
    const version = options.version;
    const principal = options.principal ?? null;
    const span =
      this.tracer === null
        ? NOOP_SPAN
        : this.tracer.startSpan('weir.config.apply', principal === null ? { 'weir.config.source': source } : { 'weir.config.source': source, 'weir.principal': principal }, options.parent ?? null);
    let builtVersion: string | null = null;
    try {
      if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the apply manager is closed');
      const built = await this.validateAndBuild(config, version);
      builtVersion = built.spec.version;
      const running = this.applied;
      if (running !== null && running.spec.hash === built.spec.hash) {
        this.logger.info({ version: running.spec.version, source }, 'config unchanged');
        this.finish(source, principal, 'unchanged', running.spec.version, this.now() - started, null, span);
        return { changed: false, version: running.spec.version, hash: running.spec.hash, spec: running.spec };
      }
      const result = await this.fleet.apply(
        built.bytes,
        built.spec.version,
        this.applyTimeoutMs === undefined ? {} : { timeoutMs: this.applyTimeoutMs },
      );
      const applied: AppliedConfig = { config: config as WeirConfig, spec: built.spec, source, principal, listeners: result.listeners };
      this.applied = applied;
      const elapsedMs = this.now() - started;
      const durationMs = Math.round(elapsedMs);
      this.logger.info({ version: built.spec.version, source, durationMs }, 'config applied');
      await this.committed(options.file === undefined ? { applied } : { applied, file: options.file });
      // Measured to the commit: persisting the version is not part of the apply latency.
      this.finish(source, principal, 'applied', built.spec.version, elapsedMs, null, span);
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
      this.finish(source, principal, 'rejected', builtVersion, this.now() - started, error, span);
      throw error;
    }
  }

  /** Run the commit hook; its failure is logged, never thrown (the workers already serve it). */
  private async committed(committed: CommittedApply): Promise<void> {
    if (this.onCommitted === null) return;
    try {
      await this.onCommitted(committed);
    } catch (err) {
      this.logger.error({ err, version: committed.applied.spec.version }, 'state write failed');
    }
  }

  /** Remember the outcome as `lastApply`, end the apply's span and tell the observer. */
  private finish(
    source: ConfigSource,
    principal: string | null,
    outcome: ApplyOutcomeKind,
    version: string | null,
    elapsedMs: number,
    error: WeirError | null,
    span: ControlSpan,
  ): void {
    const elapsed = Math.max(0, elapsedMs);
    const at = new Date(this.wallClock()).toISOString();
    const base = { version, source, principal, outcome, at, durationMs: Math.round(elapsed) };
    this.last = error === null ? base : { ...base, error: toErrorJSON(error) };
    if (version !== null) span.setAttribute('weir.config.version', version);
    span.setAttribute('weir.apply.outcome', outcome);
    span.end(error === null, error?.code);
    if (this.onFinished === null) return;
    try {
      this.onFinished(error === null ? { source, outcome, seconds: elapsed / 1000 } : { source, outcome, seconds: elapsed / 1000, code: error.code });
    } catch (err) {
      this.logger.error({ err }, 'apply observer failed');
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
