/**
 * Settings of `ConcurrencyLimits`: one upstream's `circuitBreaker` thresholds (the spec's
 * `BreakerSpec` satisfies it). Defaults are Envoy's.
 */
export interface ConcurrencyLimitsOptions {
  /** Most upstream connections across the upstream's endpoints. Default 1024. */
  readonly maxConnections: number;
  /** Most requests waiting for a connection (queued in a pool). Default 1024. */
  readonly maxPendingRequests: number;
  /** Most requests in flight to the upstream. Default 1024. */
  readonly maxRequests: number;
  /** Most retries in flight to the upstream. Default 1024 (the retry budget is usually tighter). */
  readonly maxRetries: number;
}

/**
 * Answers whether the upstream's connections are used up: at least `maxConnections` are open and
 * none is idle, so the next request would need one more. `assemble` implements it over the
 * upstream's undici pools (`pool.stats`); it is only asked when requests in flight reach
 * `maxConnections`, because below that some connection is necessarily idle or may still open
 * (one request per connection: pools do not pipeline).
 */
export interface ConnectionProbe {
  exhausted(maxConnections: number): boolean;
}

/** The retry budget as the limits see it (`RetryBudget` from the retry module). */
export interface RetryAllowance {
  allows(activeRequests: number, activeRetries: number): boolean;
}

/** `tryAcquire*` results: 0 admits; anything else names the limit that refused. */
export type LimitResult = 0 | 1 | 2 | 3 | 4 | 5;
export const LIMIT_OK: LimitResult = 0;
/** `maxRequests` reached. */
export const LIMIT_REQUESTS: LimitResult = 1;
/** `maxPendingRequests` reached. */
export const LIMIT_PENDING: LimitResult = 2;
/** `maxConnections` reached with every connection busy. */
export const LIMIT_CONNECTIONS: LimitResult = 3;
/** `maxRetries` reached. */
export const LIMIT_RETRIES: LimitResult = 4;
/** The retry budget is spent. */
export const LIMIT_RETRY_BUDGET: LimitResult = 5;

/**
 * The live counts behind an upstream's concurrency limits in one worker. They are facts
 * (requests really in flight), so they outlive config versions: `assemble` keeps one instance
 * per upstream name, and a changed limit applies to them at once (the registry's `breakerKey`
 * leaves the limits out for this reason). Requests of an old runtime release the same counts the
 * new runtime reads.
 */
export class ConcurrencyCounters {
  /** Requests in flight (admitted, not yet finished). */
  active = 0;
  /** Attempts queued in a pool, waiting for a connection. */
  pending = 0;
  /** Retries in flight. */
  retries = 0;
}

/**
 * The concurrency half of an upstream's circuit breaker in one worker (Envoy's cluster circuit
 * breaker thresholds): the thresholds of one runtime over shared `ConcurrencyCounters`, acquired
 * and released by the proxy, never blocking. A refused request fails at once (503
 * WEIR_ERR_UPSTREAM_OVERFLOW); a refused retry is simply not made and the client gets the
 * failure at hand.
 *
 * ```
 *  request admitted ── tryAcquireRequest ─ active++ ─────────────── releaseRequest ─ active--
 *  each attempt:         pendingStart ─ pending++ (queued in the pool until its socket is
 *                        assigned) ─ pendingEnd ─ pending--
 *  each retry:           tryAcquireRetry ─ retries++ (from the decision, through the backoff,
 *                        to the attempt's end) ─ releaseRetry ─ retries--
 * ```
 *
 * Pending requests are judged at admission: when `maxPendingRequests` requests already wait for a
 * connection, a new one would wait too (pools hand connections out in order), so it is refused.
 * `maxConnections` has no pool-level counterpart (each endpoint's pool has its own
 * `pool.connections` cap), so it is enforced the same way: a request that would need a new
 * connection beyond it is refused rather than queued.
 *
 * Every acquire that returned `LIMIT_OK` must be matched by exactly one release, on the same
 * instance.
 */
export class ConcurrencyLimits {
  /** The shared counts (see `ConcurrencyCounters`). */
  readonly counts: ConcurrencyCounters;
  private readonly options: ConcurrencyLimitsOptions;
  private readonly budget: RetryAllowance | null;
  private readonly connections: ConnectionProbe | null;

  /**
   * @param budget the retry budget; null: only `maxRetries` caps retries
   * @param connections this runtime's view of the upstream's pools; null: `maxConnections` is
   *   not enforced
   */
  constructor(
    options: ConcurrencyLimitsOptions,
    counts: ConcurrencyCounters = new ConcurrencyCounters(),
    budget: RetryAllowance | null = null,
    connections: ConnectionProbe | null = null,
  ) {
    this.options = options;
    this.counts = counts;
    this.budget = budget;
    this.connections = connections;
  }

  /** Admits one request, or names the limit that refuses it. */
  tryAcquireRequest(): LimitResult {
    const o = this.options;
    const c = this.counts;
    if (c.active >= o.maxRequests) return LIMIT_REQUESTS;
    if (c.pending > 0 && c.pending >= o.maxPendingRequests) return LIMIT_PENDING;
    if (c.active >= o.maxConnections && this.connections !== null && this.connections.exhausted(o.maxConnections)) {
      return LIMIT_CONNECTIONS;
    }
    c.active++;
    return LIMIT_OK;
  }

  /** Ends a request admitted by `tryAcquireRequest`. */
  releaseRequest(): void {
    this.counts.active--;
  }

  /** An attempt entered a pool's queue. */
  pendingStart(): void {
    this.counts.pending++;
  }

  /** An attempt left the queue: it got a connection, failed or was given up. */
  pendingEnd(): void {
    this.counts.pending--;
  }

  /** Admits one retry, or names the limit that refuses it (`maxRetries`, then the budget). */
  tryAcquireRetry(): LimitResult {
    const c = this.counts;
    if (c.retries >= this.options.maxRetries) return LIMIT_RETRIES;
    if (this.budget !== null && !this.budget.allows(c.active, c.retries)) return LIMIT_RETRY_BUDGET;
    c.retries++;
    return LIMIT_OK;
  }

  /** Ends a retry admitted by `tryAcquireRetry`. */
  releaseRetry(): void {
    this.counts.retries--;
  }
}
