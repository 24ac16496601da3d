/**
 * Settings of a `RetryPolicy`: one route's `retry` (the spec's `RetrySpec` satisfies it).
 * Defaults are filled in by the spec builder.
 */
export interface RetryPolicyOptions {
  /** Retries after the first attempt; 0 never retries. Default 1. */
  readonly retries: number;
  /** Which failures are retried (config `retryOn`). Default connect failures and resets. */
  readonly retryOn: {
    readonly connectFailure: boolean;
    readonly reset: boolean;
    readonly serverError: boolean;
    readonly gatewayError: boolean;
    readonly retriableStatus: boolean;
  };
  /** Statuses retried under `retryOn.retriableStatus`. Default none. */
  readonly retriableStatuses: readonly number[];
  /** Bound of each attempt until response headers, ms; 0 = only the request timeout. Default 0. */
  readonly perTryTimeoutMs: number;
  /** Full-jitter exponential backoff, ms. Default base 25, max 250. */
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /** Retry non-idempotent methods after sending. Default false. */
  readonly retryNonIdempotent: boolean;
  /** Largest request body kept for replay, bytes; 0 never replays a body. Default 65536. */
  readonly maxReplayBodyBytes: number;
}

/**
 * A route's retry policy, compiled once at assemble time (STYLE.md rule 6): the options plus
 * what the proxy asks per request without recomputing.
 */
export class RetryPolicy {
  readonly retries: number;
  readonly connectFailure: boolean;
  readonly reset: boolean;
  readonly serverError: boolean;
  readonly gatewayError: boolean;
  readonly retriableStatus: boolean;
  readonly statuses: readonly number[];
  readonly perTryTimeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly retryNonIdempotent: boolean;
  readonly maxReplayBodyBytes: number;
  /**
   * Whether any condition of the policy can retry a request after it was sent (everything but
   * connect failures). Only then is a request body worth keeping for replay.
   */
  readonly afterSend: boolean;

  constructor(options: RetryPolicyOptions) {
    const on = options.retryOn;
    this.retries = options.retries;
    this.connectFailure = on.connectFailure;
    this.reset = on.reset;
    this.serverError = on.serverError;
    this.gatewayError = on.gatewayError;
    this.retriableStatus = on.retriableStatus && options.retriableStatuses.length !== 0;
    this.statuses = Object.freeze(options.retriableStatuses.slice());
    this.perTryTimeoutMs = options.perTryTimeoutMs;
    this.backoffBaseMs = options.backoff.baseMs;
    this.backoffMaxMs = options.backoff.maxMs;
    this.retryNonIdempotent = options.retryNonIdempotent;
    this.maxReplayBodyBytes = options.maxReplayBodyBytes;
    this.afterSend = this.reset || this.serverError || this.gatewayError || this.retriableStatus;
  }

  /**
   * Whether a response with `status` may be retried under this policy (before the safety rule):
   * the only question the proxy asks for every response, so a 2xx costs one compare.
   */
  mayRetryStatus(status: number): boolean {
    if (status >= 500) {
      if (this.serverError) return true;
      if (this.gatewayError && (status === 502 || status === 503 || status === 504)) return true;
    }
    return this.retriableStatus && this.statuses.includes(status);
  }

  /** Builds the policy of a route, or null when it never retries (`retries` is 0). */
  static of(options: RetryPolicyOptions): RetryPolicy | null {
    return options.retries > 0 ? new RetryPolicy(options) : null;
  }
}
