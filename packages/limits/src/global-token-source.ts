import type { LeaseGrant } from './lease-types';

/**
 * Where the tokens of `scope: "global"` limits live: a bucket shared by every Weir host
 * (`RedisTokenSource` in @weir/controlplane). Only the primary calls it, in batches
 * (`GlobalLeasePool`), never once per request.
 */
export interface GlobalTokenSource {
  /**
   * Takes up to `want` tokens from the shared bucket (`limitId`, `key`), creating it full at
   * `burst`; none when fewer than `atLeast` (default 1) are there, with `retryAfterMs` until
   * there will be. Rejects when the store is unreachable or too slow; the pool then applies the
   * failure mode.
   */
  take(limitId: string, key: string, want: number, ratePerSecond: number, burst: number, atLeast?: number): Promise<LeaseGrant>;
  /**
   * Returns unspent tokens to the shared bucket (capped at burst). Fire and forget: a failure
   * loses the tokens (under-admission by that many), so implementations swallow it.
   */
  giveBack?(limitId: string, key: string, tokens: number, ratePerSecond: number, burst: number): void;
}

/**
 * While the global source fails: `open` answers from the host's own bucket of the same limit
 * (each host enforces the rate alone), `closed` refuses (429, Retry-After 1). The config's
 * `globalLimits.onRedisFailure`; default `open`.
 */
export type GlobalFailureMode = 'open' | 'closed';

/**
 * Counts what the primary's lease server does, for metrics (the owner maps them to
 * prom-client counters; this package stays free of it). Every member is optional and must not
 * throw.
 */
export interface LeaseServerListener {
  /** A lease answered (`grant.granted` 0 is a refusal). */
  onGrant?(scope: 'host' | 'global', grant: LeaseGrant): void;
  /** The primary took a batch from the global source. */
  onGlobalTake?(want: number, granted: number): void;
  /** The global source failed (Redis down, timeout); `failureHoldMs` of failure mode follow. */
  onGlobalError?(error: unknown): void;
  /** A global lease answered by the failure mode instead of the global source. */
  onGlobalFallback?(mode: GlobalFailureMode): void;
}
