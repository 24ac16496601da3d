/**
 * The lease protocol of host-wide rate limits (DESIGN.md section 7, "Host-wide limits by
 * leasing"): the primary owns every bucket; a worker takes tokens in batches (a lease) and
 * spends them locally, so no IPC happens per request. These shapes cross the IPC channel as
 * `weir:lease` / `weir:lease-grant` / `weir:lease-return` (`@weir/cluster` protocol).
 */

/** What identifies and shapes one bucket family; carried by every request so the primary needs no config. */
export interface LimitParams {
  /** The spec's `RateLimitSpec.id` (route, name, rate, burst, scope hashed). */
  readonly limitId: string;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly scope: 'host' | 'global';
}

/** A worker asks for `want` tokens of bucket (`limitId`, `key`). */
export interface LeaseRequest extends LimitParams {
  readonly key: string;
  /** >= 1. */
  readonly want: number;
  /**
   * Grant nothing unless at least this many tokens are available (1..want; default 1). Workers
   * send their normal batch here, so a saturated bucket hands out whole batches after a short
   * wait instead of one token per lease (one IPC per admitted request). Added for issue 9.
   */
  readonly atLeast?: number;
}

/** The primary's answer. */
export interface LeaseGrant {
  /** Tokens granted, 0..want. */
  readonly granted: number;
  /** With `granted` 0: ms until the bucket holds `atLeast` tokens (one by default) again (>= 1). Else 0. */
  readonly retryAfterMs: number;
  /** Tokens left in the owning bucket after this grant (floor), for `RateLimit: r=`. */
  readonly remaining: number;
}

/** Unused leased tokens a worker hands back (fire and forget). */
export interface LeaseReturn {
  readonly limitId: string;
  readonly key: string;
  readonly scope: 'host' | 'global';
  readonly tokens: number;
}

/** The worker's channel to the primary's lease bank. */
export interface LeaseTransport {
  request(req: LeaseRequest): Promise<LeaseGrant>;
  giveBack(ret: LeaseReturn): void;
}

/** A rate-limit decision for one request. */
export interface TakeResult {
  readonly admitted: boolean;
  /** Tokens this worker still holds for the key after this take (approximate host view). */
  readonly remaining: number;
  /** Denied: seconds until a retry may pass (>= 1, rounded up) for `Retry-After`. Admitted: 0. */
  readonly retryAfterSeconds: number;
}

/** Monotonic milliseconds (`performance.now()` in production; tests inject a fake). */
export type Clock = () => number;
