/** Settings of a `RetryBudget`: an upstream's `circuitBreaker.retryBudget`. */
export interface RetryBudgetOptions {
  /** Percentage (0-100) of the requests in flight that may be retries. Default 20. */
  readonly percent: number;
  /** Retries in flight always allowed, whatever the percentage. Default 3. */
  readonly minRetries: number;
}

/**
 * Envoy's retry budget for one upstream in one worker: retries in flight may be at most `percent`
 * of the requests in flight, but `minRetries` are always allowed (so a quiet upstream can still
 * retry). When an upstream fails wholesale, every request wants a retry; the budget keeps the
 * extra load at a fifth (by default) instead of doubling it, which is what turns a partial outage
 * into a full one (the retry storm). The counts come from the upstream's `ConcurrencyLimits`.
 */
export class RetryBudget {
  private readonly fraction: number;
  private readonly minRetries: number;

  constructor(options: RetryBudgetOptions) {
    this.fraction = options.percent / 100;
    this.minRetries = options.minRetries;
  }

  /** May one more retry start, with `activeRetries` retries among `activeRequests` requests in flight? */
  allows(activeRequests: number, activeRetries: number): boolean {
    return activeRetries < this.minRetries || activeRetries < this.fraction * activeRequests;
  }
}
