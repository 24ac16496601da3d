import { BundleVerifier, type ConfigValidator, type VerifiedBundle } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import { WeirError, isWeirError, toErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { canonicalJSON, configDefaults } from '@weir/runtime';
import type { ApplyOutcome } from '../apply/index';
import { NOOP_SPAN, urlWithoutCredentials, type ControlSpan, type ControlTracer } from '../tracing/index';
import { bundleConfigValidator, withHostPull } from './bundle-config';
import type { BundleSource, SourceMark } from './bundle-source';
import { createBundleSource } from './create-bundle-source';
import { fileSha256, type PulledBundle } from './pulled-bundle-file';
import { PullSchedule } from './pull-schedule';
import { pullTrust, type ReadKeyFile } from './pull-trust';
import { s3CredentialsFromEnv } from './s3-bundle-source';
import type { PullApplier, PulledBundleStore, PullOutcome, PullRollouts, PullStatus, PullTimers } from './puller-deps';

/** Options of {@link BundlePuller}. */
export interface BundlePullerOptions {
  /** The host's `pull` section (defaults are applied here). */
  readonly section: PullConfig;
  readonly applier: PullApplier;
  /** Needed for `mode: "rollout"`. */
  readonly rollouts?: PullRollouts | null;
  readonly logger: Logger;
  /** Where verified bundles are kept. Default: nowhere. */
  readonly store?: PulledBundleStore | null;
  /** The bundle kept from before a restart: its revision is the floor, its bytes count as seen. */
  readonly held?: PulledBundle | null;
  /** Default: `createBundleSource` (HTTP(S) for `url`, S3 for `s3`, signed with `environment`'s credentials). */
  readonly source?: (section: PullConfig) => BundleSource;
  /**
   * The environment S3 sources take their credentials from (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; `s3CredentialsFromEnv`), read once here. The
   * daemon passes the primary's environment as it was at start. Default: none, so an `s3`
   * source fails every poll with WEIR_ERR_BUNDLE_SOURCE saying the credentials are missing.
   */
  readonly environment?: NodeJS.ProcessEnv;
  /** Reads `publicKeyFile`s. Default: the file system. */
  readonly readKeyFile?: ReadKeyFile;
  /** The config check of verified bundles. Default: `bundleConfigValidator(section)`. */
  readonly validateConfig?: (section: PullConfig) => ConfigValidator;
  /** Wall clock, epoch ms (bundle expiry, status times). Default `Date.now`. */
  readonly wallClock?: () => number;
  /** Random source of the jitter, [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Default: the global timers, unref'd. */
  readonly timers?: PullTimers;
  /** Called after every poll (metrics). */
  readonly onPoll?: (outcome: PullOutcome) => void;
  /** Called for every rejected bundle, with its WEIR_ERR_* code (metrics). */
  readonly onRejected?: (code: string) => void;
  /**
   * Records a `weir.bundle.pull` span per poll (issue 18; tracing.md, "Control-plane spans"),
   * the parent of the apply it leads to. Default: none.
   */
  readonly tracer?: ControlTracer;
}

const REAL_TIMERS: PullTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Apply errors that say "not now" rather than "never": the same bundle is tried again after the backoff. */
const TRANSIENT_APPLY_CODES: ReadonlySet<string> = new Set([
  'WEIR_ERR_APPLY_REJECTED',
  'WEIR_ERR_APPLY_TIMEOUT',
  'WEIR_ERR_NO_WORKERS',
  'WEIR_ERR_DRAINING',
  'WEIR_ERR_ROLLOUT_CONFLICT',
  'WEIR_ERR_INTERNAL',
]);

/**
 * The bundle puller (issue 12; operations.md, "Bundles"): polls a source, verifies what it finds
 * with a `BundleVerifier`, and applies the config through the apply manager with source `bundle`
 * (or starts a rollout with it), then keeps the bundle in the state directory.
 *
 *     fetch (If-None-Match) --304 / same bytes--> unchanged
 *       | 200
 *     verify (keys, threshold, expiry, revision > current, config) --fail--> rejected (counted, logged)
 *       | ok
 *     apply / start rollout --transient failure--> failed (backoff, tried again)
 *       | ok
 *     keep: revision, file sha256, validators -> pulled.bundle
 *
 * A rejected bundle is remembered by its validators and sha256, so it is counted and logged once
 * and then costs a 304 per poll until the source changes. One poll runs at a time; the wait
 * between polls is `PullSchedule`'s decision.
 */
export class BundlePuller {
  private section: PullConfig;
  private sectionKey: string;
  private readonly applier: PullApplier;
  private readonly rollouts: PullRollouts | null;
  private readonly logger: Logger;
  private readonly store: PulledBundleStore | null;
  private readonly makeSource: (section: PullConfig) => BundleSource;
  private readonly readKeyFile: ReadKeyFile | undefined;
  private readonly makeValidator: (section: PullConfig) => ConfigValidator;
  private readonly wallClock: () => number;
  private readonly random: () => number;
  private readonly timers: PullTimers;
  private readonly onPoll: ((outcome: PullOutcome) => void) | null;
  private readonly onRejected: ((code: string) => void) | null;
  private readonly tracer: ControlTracer | null;
  /** The span of the poll in flight (one at a time); `NOOP_SPAN` between polls. */
  private span: ControlSpan = NOOP_SPAN;

  private source: BundleSource;
  private verifier: BundleVerifier | null = null;
  private validator: ConfigValidator;
  private schedule: PullSchedule;
  private revision: number | null;
  /** Validators of the last answer processed (applied or rejected). */
  private mark: SourceMark | null;
  /** sha256 of the last bundle file processed, and whether it was good. */
  private seen: { readonly sha: string; readonly ok: boolean } | null;
  private lastSuccessAt: number | null = null;
  private lastPollAt: number | null = null;
  private lastError: { readonly code: string; readonly message: string; readonly at: string } | null = null;
  /** The wait before the next poll, decided by the schedule when the last poll ended. */
  private nextDelayMs = 0;
  private timer: unknown = null;
  private inFlight: Promise<PullOutcome> | null = null;
  private started = false;
  private stopped = false;

  constructor(options: BundlePullerOptions) {
    this.section = options.section;
    this.sectionKey = canonicalJSON(options.section);
    this.applier = options.applier;
    this.rollouts = options.rollouts ?? null;
    this.logger = options.logger;
    this.store = options.store ?? null;
    const s3Credentials = options.environment === undefined ? null : s3CredentialsFromEnv(options.environment);
    this.makeSource = options.source ?? ((section): BundleSource => createBundleSource(section, s3Credentials));
    this.readKeyFile = options.readKeyFile;
    this.makeValidator = options.validateConfig ?? bundleConfigValidator;
    this.wallClock = options.wallClock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? REAL_TIMERS;
    this.onPoll = options.onPoll ?? null;
    this.onRejected = options.onRejected ?? null;
    this.tracer = options.tracer ?? null;
    const held = options.held ?? null;
    this.revision = held?.revision ?? null;
    this.mark = held?.mark ?? null;
    this.seen = held === null ? null : { sha: held.fileSha256, ok: true };
    this.source = this.makeSource(this.section);
    this.validator = this.makeValidator(this.section);
    this.schedule = this.newSchedule();
    this.verifier = this.newVerifier();
  }

  /** The revision running (or rolled out) from a bundle, or null. */
  get currentRevision(): number | null {
    return this.revision;
  }

  /** When a poll last left the newest good bundle running (epoch ms), or null. */
  get lastSuccess(): number | null {
    return this.lastSuccessAt;
  }

  /** For `/admin/status`. */
  status(): PullStatus {
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return {
      source: this.source.description,
      mode: this.section.mode ?? configDefaults.pull.mode,
      revision: this.revision,
      lastSuccessAt: iso(this.lastSuccessAt),
      lastPollAt: iso(this.lastPollAt),
      lastError: this.lastError,
      consecutiveFailures: this.schedule.failures,
    };
  }

  /** Poll now, then on the schedule. No-op once stopped or while the keys cannot be read. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.logger.info({ source: this.source.description, mode: this.section.mode ?? configDefaults.pull.mode, revision: this.revision }, 'bundle puller started');
    this.arm(0);
  }

  /**
   * Follow a committed config's `pull` section. The same content: nothing. Otherwise a new
   * source, trust and schedule; the validators and the memory of a rejected bundle are dropped
   * (new keys may accept it now) while the revision floor stays; and, when started, a poll now.
   */
  update(section: PullConfig): void {
    const key = canonicalJSON(section);
    if (key === this.sectionKey || this.stopped) return;
    this.section = section;
    this.sectionKey = key;
    // Closed once a poll in flight with it has ended (it may be applying a bundle).
    const old = this.source;
    void (this.inFlight ?? Promise.resolve()).catch(() => undefined).then(() => old.close().catch(() => undefined));
    this.source = this.makeSource(section);
    this.validator = this.makeValidator(section);
    this.schedule = this.newSchedule();
    this.verifier = this.newVerifier();
    this.mark = null;
    if (this.seen !== null && !this.seen.ok) this.seen = null;
    this.logger.info({ source: this.source.description, keys: this.verifier?.keyIds ?? [], threshold: this.verifier?.threshold ?? null }, 'bundle puller reconfigured');
    if (this.started) {
      this.disarm();
      this.arm(0);
    }
  }

  /** Stop polling; resolves once a poll in flight has ended and the source is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    // Closing the source first cuts a download in flight short (shutdown must not wait for a
    // stalled source's timeout); an apply in flight is awaited.
    await this.source.close().catch(() => undefined);
    await this.inFlight?.catch(() => undefined);
  }

  /** One poll now (tests, and the loop); concurrent calls share the poll in flight. */
  poll(): Promise<PullOutcome> {
    if (this.inFlight !== null) return this.inFlight;
    const run = this.pollOnce().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  /** Schedule the next poll; at most one timer is ever pending. */
  private arm(ms: number): void {
    this.disarm();
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, ms);
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    await this.poll();
    if (this.stopped || this.timer !== null) return;
    this.arm(this.nextDelayMs);
  }

  private newSchedule(): PullSchedule {
    const s = this.section;
    return new PullSchedule(
      {
        intervalMs: s.intervalMs ?? configDefaults.pull.intervalMs,
        jitterMs: s.jitterMs ?? configDefaults.pull.jitterMs,
        maxBackoffMs: s.maxBackoffMs ?? configDefaults.pull.maxBackoffMs,
      },
      this.random,
    );
  }

  /** The verifier of the section's keys, or null (logged, and in the status) when they cannot be read. */
  private newVerifier(): BundleVerifier | null {
    try {
      return new BundleVerifier(pullTrust(this.section, this.readKeyFile));
    } catch (err) {
      const json = toErrorJSON(err);
      this.lastError = { code: json.code, message: json.message, at: new Date(this.wallClock()).toISOString() };
      this.logger.error({ code: json.code, message: json.message, source: this.source.description }, 'bundle puller cannot use its keys; not polling until pull changes');
      return null;
    }
  }

  private async pollOnce(): Promise<PullOutcome> {
    if (this.tracer !== null) {
      this.span = this.tracer.startSpan('weir.bundle.pull', { 'weir.bundle.source': urlWithoutCredentials(this.source.description), 'weir.bundle.mode': this.section.mode ?? configDefaults.pull.mode });
      if (this.revision !== null) this.span.setAttribute('weir.bundle.current_revision', this.revision);
    }
    const verifier = this.verifier;
    if (verifier === null) return this.finish('failed', this.lastError?.code);
    this.lastPollAt = this.wallClock();
    let fetched;
    try {
      fetched = await this.source.fetch(this.mark);
    } catch (err) {
      return this.failed(err);
    }
    if (fetched.status === 'unchanged') return this.unchanged(true);
    const sha = fileSha256(fetched.bytes);
    if (this.seen !== null && this.seen.sha === sha) {
      this.mark = fetched.mark;
      return this.unchanged();
    }
    const check = verifier.verify(fetched.bytes, { now: this.wallClock(), currentRevision: this.revision, validateConfig: this.validator });
    if (!check.ok) return this.rejected(check.error, sha, fetched.mark);
    return this.take(check.bundle, fetched.bytes, sha, fetched.mark);
  }

  /** Apply (or roll out) a verified bundle, then keep it. */
  private async take(bundle: VerifiedBundle, bytes: Buffer, sha: string, mark: SourceMark): Promise<PullOutcome> {
    const revision = bundle.metadata.revision;
    this.span.setAttribute('weir.bundle.revision', revision);
    for (const ignored of bundle.ignoredSignatures) {
      this.logger.warn({ revision, keyId: ignored.keyId, reason: ignored.reason }, 'bundle signature ignored');
    }
    if ('pull' in bundle.config) {
      this.logger.info({ revision }, "the bundle's pull section is ignored: the host's own applies");
    }
    const config = withHostPull(bundle.config, this.section);
    const mode = this.section.mode ?? configDefaults.pull.mode;
    let done: { readonly msg: string; readonly fields: Record<string, unknown> };
    try {
      if (mode === 'rollout') {
        if (this.rollouts === null) throw new WeirError('WEIR_ERR_INTERNAL', 'pull.mode "rollout" needs the rollout manager');
        const rollout = await this.rollouts.start({ config }, `bundle:${revision}`);
        this.span.setAttribute('weir.rollout.id', rollout.id);
        done = { msg: 'bundle rollout started', fields: { revision, rollout: rollout.id, signedBy: bundle.signedBy, source: this.source.description } };
      } else {
        const parent = this.span.context;
        const outcome: ApplyOutcome = await (parent === null ? this.applier.apply(config, 'bundle') : this.applier.apply(config, 'bundle', { parent }));
        this.span.setAttribute('weir.config.version', outcome.version);
        done = { msg: 'bundle applied', fields: { revision, version: outcome.version, changed: outcome.changed, signedBy: bundle.signedBy, source: this.source.description } };
      }
    } catch (err) {
      const code = toErrorJSON(err).code;
      if (TRANSIENT_APPLY_CODES.has(code) || !isWeirError(err)) return this.failed(err);
      return this.rejected(err, sha, mark);
    }
    this.revision = revision;
    this.seen = { sha, ok: true };
    this.mark = mark;
    if (this.store !== null) {
      const kept: PulledBundle = { bytes, revision, fileSha256: sha, source: this.source.description, mark, verifiedAt: new Date(this.wallClock()).toISOString() };
      try {
        await this.store.save(kept);
      } catch (err) {
        this.logger.error({ err, revision }, 'bundle state write failed');
      }
    }
    this.lastSuccessAt = this.wallClock();
    const outcome = this.finish('applied');
    // Logged last: whoever reads the status after this line sees the new revision and no failures.
    this.logger.info(done.fields, done.msg);
    return outcome;
  }

  /** `notModified`: the source answered 304 (else: the same bytes as the last bundle processed). */
  private unchanged(notModified = false): PullOutcome {
    // A source still serving the bundle that was rejected is not a success.
    if (this.seen === null || this.seen.ok) this.lastSuccessAt = this.wallClock();
    return this.finish('unchanged', undefined, notModified ? 'not-modified' : 'unchanged');
  }

  private rejected(err: unknown, sha: string, mark: SourceMark): PullOutcome {
    const json = toErrorJSON(err);
    this.seen = { sha, ok: false };
    this.mark = mark;
    this.lastError = { code: json.code, message: json.message, at: new Date(this.wallClock()).toISOString() };
    this.onRejected?.(json.code);
    const outcome = this.finish('rejected', json.code);
    const fields = { code: json.code, message: json.message, source: this.source.description, currentRevision: this.revision };
    this.logger.error(json.details === undefined ? fields : { ...fields, details: json.details }, 'bundle rejected');
    return outcome;
  }

  private failed(err: unknown): PullOutcome {
    const json = toErrorJSON(err);
    this.lastError = { code: json.code, message: json.message, at: new Date(this.wallClock()).toISOString() };
    // `mark` and `seen` still describe the last bundle processed, so after a transient apply
    // failure the next poll fetches the same new bundle in full and tries it again.
    const outcome = this.finish('failed', json.code);
    this.logger.warn({ code: json.code, message: json.message, source: this.source.description, failures: this.schedule.failures, retryInMs: this.nextDelayMs }, 'bundle pull failed');
    return outcome;
  }

  /** `code`: why a poll failed or its bundle was rejected; `label`: the span's outcome, when finer than `outcome`. */
  private finish(outcome: PullOutcome, code?: string, label: string = outcome): PullOutcome {
    this.nextDelayMs = this.schedule.next(outcome === 'failed' ? 'failure' : 'success');
    const span = this.span;
    this.span = NOOP_SPAN;
    span.setAttribute('weir.bundle.outcome', label);
    span.end(outcome !== 'failed' && outcome !== 'rejected', code ?? 'WEIR_ERR_INTERNAL');
    try {
      this.onPoll?.(outcome);
    } catch (err) {
      this.logger.error({ err }, 'bundle pull observer failed');
    }
    return outcome;
  }
}
