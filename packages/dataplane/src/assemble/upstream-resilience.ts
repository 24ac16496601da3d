import type { Pool } from 'undici';
import type { UpstreamSpec } from '@weir/runtime';
import type { UpstreamResilienceMetrics } from '@weir/obs';
import {
  BREAKER_CLOSED,
  ConcurrencyCounters,
  ConcurrencyLimits,
  FailureRatioBreaker,
  type BreakerObserver,
  type BreakerState,
  type Clock,
  type ConnectionProbe,
} from '../breaker/index';
import { OutlierDetector, outlierKey, type EjectionReason, type EjectionTarget, type OutlierObserver } from '../outlier/index';
import { breakerKey } from '../registry/index';
import { RetryBudget } from '../retry/index';

/**
 * The resilience state of one upstream in a runtime: the part of `UpstreamRuntime` that
 * `buildUpstreamResilience` fills in. Everything here is per worker.
 */
export interface UpstreamResilience {
  /** Concurrency limits and retry budget of this runtime, over counts shared across runtimes. */
  readonly limits: ConcurrencyLimits;
  /** The failure-ratio breaker; null when the upstream has no `failureRatio`. */
  readonly breaker: FailureRatioBreaker | null;
  /** Identity of `breaker` (`breakerKey`), for reuse by the next runtime. */
  readonly breakerKey: string;
  /** Passive outlier detection; null when disabled. Ticked by the data plane. */
  readonly outlier: OutlierDetector | null;
  /** Identity of `outlier` (`outlierKey`), "" when disabled. */
  readonly outlierKey: string;
  /** The upstream's retry, breaker and ejection metrics; null without metrics. */
  readonly resilience: UpstreamResilienceMetrics | null;
}

/** What `buildUpstreamResilience` needs besides the spec. */
export interface ResilienceDeps {
  readonly clock: Clock;
  readonly metrics: UpstreamResilienceMetrics | null;
}

/**
 * Builds (or carries over) the breaker, limits and outlier detector of upstream `u`, reusing the
 * state of `previous` (the same upstream in the runtime being replaced) by stable identity
 * (DESIGN.md section 2, "Reconciliation"):
 *
 * - the concurrency counts are facts about requests in flight and always carry over by name;
 *   the limits compared with them are this runtime's;
 * - the failure-ratio breaker carries over while `breakerKey` (its settings) is unchanged, so an
 *   unrelated config change neither closes an open breaker nor forgets its window;
 * - the outlier detector carries over while `outlierKey` (endpoints and settings) is unchanged
 *   and it still writes into the same endpoint states; ejections themselves live in those
 *   shared `EndpointState`s and survive even a new detector, which counts them at construction.
 */
export function buildUpstreamResilience(
  u: UpstreamSpec,
  pools: readonly Pool[],
  states: readonly EjectionTarget[],
  previous: UpstreamResilience | undefined,
  deps: ResilienceDeps,
): UpstreamResilience {
  const spec = u.breaker;
  const counts = previous === undefined ? new ConcurrencyCounters() : previous.limits.counts;
  const limits = new ConcurrencyLimits(spec, counts, new RetryBudget(spec.retryBudget), new PoolConnections(pools));

  const bKey = breakerKey(u);
  let breaker: FailureRatioBreaker | null = null;
  if (spec.failureRatio !== null) {
    if (previous !== undefined && previous.breaker !== null && previous.breakerKey === bKey) {
      breaker = previous.breaker;
    } else {
      breaker = new FailureRatioBreaker(spec.failureRatio, deps.clock, deps.metrics === null ? null : new BreakerMetrics(deps.metrics));
      if (deps.metrics !== null) deps.metrics.breakerState(BREAKER_CLOSED);
    }
  } else if (deps.metrics !== null && previous !== undefined && previous.breaker !== null) {
    deps.metrics.breakerState(-1);
  }

  let outlier: OutlierDetector | null = null;
  let oKey = '';
  if (u.outlier !== null) {
    const addresses: string[] = [];
    for (let e = 0; e < u.endpoints.length; e++) addresses.push(u.endpoints[e]!.address);
    oKey = outlierKey(u.name, addresses, u.outlier);
    const old = previous?.outlier ?? null;
    outlier =
      old !== null && previous!.outlierKey === oKey && sameTargets(old, states)
        ? old
        : new OutlierDetector(u.outlier, states, deps.clock, deps.metrics === null ? null : new OutlierMetrics(deps.metrics));
  }
  return { limits, breaker, breakerKey: bKey, outlier, outlierKey: oKey, resilience: deps.metrics };
}

/** Whether `detector` was built over exactly `states` (the same shared objects, in order). */
function sameTargets(detector: OutlierDetector, states: readonly EjectionTarget[]): boolean {
  if (detector.size !== states.length) return false;
  for (let i = 0; i < states.length; i++) if (detector.target(i) !== states[i]) return false;
  return true;
}

/**
 * `maxConnections` over this runtime's pools: undici's `pool.stats` sums its clients' sockets.
 * Only asked when requests in flight reach the limit (see `ConcurrencyLimits`).
 */
class PoolConnections implements ConnectionProbe {
  constructor(private readonly pools: readonly Pool[]) {}

  exhausted(maxConnections: number): boolean {
    let connected = 0;
    let free = 0;
    for (let i = 0; i < this.pools.length; i++) {
      const stats = (this.pools[i] as Pool).stats;
      connected += stats.connected;
      free += stats.free;
    }
    return connected >= maxConnections && free === 0;
  }
}

/** Feeds breaker state changes to the upstream's metrics. */
class BreakerMetrics implements BreakerObserver {
  constructor(private readonly metrics: UpstreamResilienceMetrics) {}

  onStateChange(state: BreakerState): void {
    this.metrics.breakerState(state);
  }
}

/** Feeds ejections to the upstream's metrics. */
class OutlierMetrics implements OutlierObserver {
  constructor(private readonly metrics: UpstreamResilienceMetrics) {}

  onEject(_endpoint: number, reason: EjectionReason): void {
    this.metrics.ejection(reason);
  }
}

/** Longest period of the data plane's shared outlier timer, ms. */
const MAX_TICK_MS = 1_000;
/** Shortest period, so a tiny `intervalMs` cannot turn the timer into a busy loop. */
const MIN_TICK_MS = 10;

/**
 * Period of the shared timer that ticks a runtime's outlier detectors: the shortest analysis
 * interval, within [10 ms, 1 s] (each detector runs its analysis only when its own interval is
 * up, so a 1 s tick delays a 10 s analysis by under a second); 0 when no upstream has outlier
 * detection.
 */
export function outlierTickMs(upstreams: Iterable<UpstreamResilience>): number {
  let period = Infinity;
  for (const u of upstreams) {
    if (u.outlier !== null && u.outlier.intervalMs < period) period = u.outlier.intervalMs;
  }
  if (period === Infinity) return 0;
  return Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, period));
}

/** Runs the interval analysis of every outlier detector among `upstreams` that is due at `now`. */
export function tickOutliers(upstreams: Iterable<UpstreamResilience>, now: number): void {
  for (const u of upstreams) if (u.outlier !== null) u.outlier.tick(now);
}
