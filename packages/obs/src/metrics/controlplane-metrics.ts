import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricCatalogue, type MetricDefinition } from './catalogue';

/** What the primary's worker metrics read from the fleet at scrape time. */
export interface FleetReading {
  /** State of every worker slot (`starting`, `syncing`, `ready`, `backoff`, `stopped`). */
  readonly states: readonly string[];
  /** Sum of every slot's restarts since the primary started (never decreases). */
  readonly restarts: number;
  /** Workers the watchdog replaced since the primary started (never decreases). Default 0. */
  readonly watchdogReplacements?: number;
}

/** Options of {@link ControlPlaneMetrics}. */
export interface ControlPlaneMetricsOptions {
  /** Read at each scrape for `weir_workers` and `weir_worker_restarts_total`. Default: none (not exported). */
  readonly fleet?: () => FleetReading;
  /** Default: a new Registry. */
  readonly registry?: Registry;
  /** Read at each scrape for `weir_rollout_state` and `weir_rollout_candidate_percent`. Default: none. */
  readonly rollout?: () => RolloutReading;
  /** Read at each scrape for `weir_bundle_revision` and `weir_bundle_last_success_timestamp_seconds`. Default: none (both 0). */
  readonly bundle?: () => BundleReading;
}

/** What the bundle gauges read at scrape time. */
export interface BundleReading {
  /** Revision of the last bundle applied, null before the first. */
  readonly revision: number | null;
  /** Epoch ms of the last successful poll, null before the first. */
  readonly lastSuccessMs: number | null;
}

/** What the rollout gauges read at scrape time. */
export interface RolloutReading {
  /** `none`, `running` or `paused`. */
  readonly state: 'none' | 'running' | 'paused';
  /** The candidate's share in percent, 0 without a rollout. */
  readonly percent: number;
}

const ROLLOUT_STATE_VALUES = { none: 0, running: 1, paused: 2 } as const;

/** The worker states always exported, at 0 when empty, so the series do not come and go. */
const WORKER_STATES: readonly string[] = ['starting', 'syncing', 'ready', 'backoff', 'stopped'];

function options(definition: MetricDefinition, registry: Registry): { name: string; help: string; labelNames: string[]; registers: Registry[] } {
  return { name: definition.name, help: definition.help, labelNames: definition.labels.slice(), registers: [registry] };
}

/**
 * The primary's own metrics (the control plane), from the catalogue: applies by source and
 * outcome, apply duration, config file rejections, bundle pulls and rejections, the bundle
 * revision and last success, worker restarts and worker states. Served
 * after the workers' aggregated metrics on `/metrics`. Everything here is cold-path: one call per
 * apply, fleet state read at scrape time.
 */
export class ControlPlaneMetrics {
  readonly registry: Registry;
  private readonly applies: Counter<string>;
  private readonly applyDuration: Histogram<string>;
  private readonly fileRejections: Counter<string>;
  private readonly rolloutTransitions: Counter<string>;
  private readonly bundlePulls: Counter<string>;
  private readonly bundleRejections: Counter<string>;
  private readonly redisErrors: Counter<string>;
  private readonly leases: Counter<string>;
  private readonly jwksFetches: Counter<string>;

  constructor(opts: ControlPlaneMetricsOptions = {}) {
    const registry = opts.registry ?? new Registry();
    this.registry = registry;
    const c = metricCatalogue;
    this.applies = new Counter(options(c.configAppliesTotal, registry));
    this.applyDuration = new Histogram({ ...options(c.configApplyDurationSeconds, registry), buckets: c.configApplyDurationSeconds.buckets.slice() });
    this.fileRejections = new Counter(options(c.configFileRejectionsTotal, registry));
    this.rolloutTransitions = new Counter(options(c.rolloutTransitionsTotal, registry));
    this.bundlePulls = new Counter(options(c.bundlePullsTotal, registry));
    this.bundleRejections = new Counter(options(c.bundleRejectionsTotal, registry));
    this.redisErrors = new Counter(options(c.rateLimitRedisErrorsTotal, registry));
    this.leases = new Counter(options(c.rateLimitLeasesTotal, registry));
    this.jwksFetches = new Counter(options(c.jwksFetchesTotal, registry));
    const bundle = opts.bundle;
    new Gauge({
      ...options(c.bundleRevision, registry),
      collect(this: Gauge<string>) {
        this.set(bundle?.().revision ?? 0);
      },
    });
    new Gauge({
      ...options(c.bundleLastSuccessTimestampSeconds, registry),
      collect(this: Gauge<string>) {
        const ms = bundle?.().lastSuccessMs ?? null;
        this.set(ms === null ? 0 : ms / 1000);
      },
    });
    const rollout = opts.rollout;
    if (rollout !== undefined) {
      new Gauge({
        ...options(c.rolloutState, registry),
        collect(this: Gauge<string>) {
          this.set(ROLLOUT_STATE_VALUES[rollout().state]);
        },
      });
      new Gauge({
        ...options(c.rolloutCandidatePercent, registry),
        collect(this: Gauge<string>) {
          this.set(rollout().percent);
        },
      });
    }
    const fleet = opts.fleet;
    if (fleet === undefined) return;
    let restartsSeen = 0;
    new Counter({
      ...options(c.workerRestartsTotal, registry),
      collect(this: Counter<string>) {
        // prom-client counters only go up by increments: add what happened since the last scrape.
        const restarts = fleet().restarts;
        if (restarts > restartsSeen) this.inc(restarts - restartsSeen);
        restartsSeen = Math.max(restartsSeen, restarts);
      },
    });
    let replacementsSeen = 0;
    new Counter({
      ...options(c.workerWatchdogReplacementsTotal, registry),
      collect(this: Counter<string>) {
        const replaced = fleet().watchdogReplacements ?? 0;
        if (replaced > replacementsSeen) this.inc(replaced - replacementsSeen);
        replacementsSeen = Math.max(replacementsSeen, replaced);
      },
    });
    new Gauge({
      ...options(c.workers, registry),
      collect(this: Gauge<string>) {
        const counts = new Map<string, number>(WORKER_STATES.map((s) => [s, 0]));
        for (const state of fleet().states) counts.set(state, (counts.get(state) ?? 0) + 1);
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
  }

  /**
   * Count one finished apply; its duration is observed when it `applied` (changed the running
   * config), the apply latency operators care about.
   */
  applyFinished(source: string, outcome: string, seconds: number): void {
    this.applies.inc({ source, outcome });
    if (outcome === 'applied') this.applyDuration.observe(seconds);
  }

  /** Count a config file content that was not applied, by its WEIR_ERR_* code. */
  fileRejected(code: string): void {
    this.fileRejections.inc({ code });
  }

  /** Count one poll of the bundle puller (`applied`, `unchanged`, `rejected`, `failed`). */
  bundlePulled(outcome: string): void {
    this.bundlePulls.inc({ outcome });
  }

  /** Count one rejected bundle, by its WEIR_ERR_* code. */
  bundleRejected(reason: string): void {
    this.bundleRejections.inc({ reason });
  }

  /** The primary's call to the global-limits Redis failed. */
  redisError(): void {
    this.redisErrors.inc();
  }

  /** A lease answered to a worker. */
  leaseAnswered(scope: 'host' | 'global', granted: boolean): void {
    this.leases.inc({ scope, outcome: granted ? 'granted' : 'refused' });
  }

  /** A JWKS fetch finished (`updated`, `unchanged` or `error`). */
  jwksFetched(outcome: string): void {
    this.jwksFetches.inc({ outcome });
  }

  /** Count one rollout transition (`started`, `advanced`, `paused`, `resumed`, `promoted`, `aborted`). */
  rolloutTransition(event: string): void {
    this.rolloutTransitions.inc({ event });
  }
}
