/**
 * How many tokens one lease asks for (apps/weir/docs/rate-limits.md, "Batch sizes").
 *
 * The primary never grants a token its bucket does not hold, so leasing cannot create tokens:
 * over a long run a host admits exactly what one bucket would. The error is in *where* tokens
 * sit: a worker may hold up to one batch it has not spent yet. With W workers that is at most
 * W x batch tokens, which shows up two ways:
 *
 * - a request may be refused while other workers still hold up to (W - 1) x batch tokens
 *   (under-admission, until those tokens are spent or handed back after the lease TTL);
 * - tokens leased before a window and spent inside it come on top of the bucket's
 *   `burst + rate x window` (over-admission by at most W x batch).
 *
 * Batch = ceil(rate x LEASE_SHARE_SECONDS / W), at least 1, at most floor(burst / W):
 *
 * - the W x batch error is then at most LEASE_SHARE_SECONDS x rate + W tokens: 2% of one
 *   second's rate, plus one token per worker for rounding;
 * - a worker at full load asks the primary about (rate / W) / batch = 1 / LEASE_SHARE_SECONDS
 *   = 50 times a second per key, whatever the rate; below 50 req/s per worker batches are one
 *   token and IPC is bounded by the admitted rate itself (denials are cached, see LeaseClient);
 * - capping at burst / W keeps one worker from draining a small burst that others need.
 *
 * Requests already waiting for a lease raise `want` to their count (up to burst): those tokens
 * are spent the moment they arrive, so they add nothing to the held-token error.
 */

/** Seconds of the host's rate that all workers together may hold unspent. 0.02 s (2%). */
export const LEASE_SHARE_SECONDS = 0.02;

/**
 * Seconds of the rate the primary takes from the global source (Redis) at once for one key.
 * 0.05 s: at full rate the primary calls Redis about 20 times a second per key, whatever the
 * rate, and each host holds at most 5% of a second's rate unspent.
 */
export const GLOBAL_BATCH_SECONDS = 0.05;

/**
 * Tokens a worker asks for in one lease.
 * @param workers workers sharing the host's bucket (>= 1).
 * @param waiting requests of this worker waiting for the lease, including the caller (>= 1).
 */
export function leaseBatchSize(ratePerSecond: number, burst: number, workers: number, waiting: number): number {
  const w = workers > 1 ? workers : 1;
  const whole = Math.max(1, Math.floor(burst));
  const share = Math.ceil((ratePerSecond * LEASE_SHARE_SECONDS) / w);
  const cap = Math.max(1, Math.floor(whole / w));
  const batch = Math.max(1, Math.min(share, cap));
  const queued = waiting < whole ? waiting : whole;
  return queued > batch ? queued : batch;
}

/**
 * The most tokens a host's workers may hold unspent for one key (W x batch): the bound on
 * both the over- and under-admission of a host limit in any window.
 */
export function leaseErrorBound(ratePerSecond: number, burst: number, workers: number): number {
  const w = workers > 1 ? workers : 1;
  return w * leaseBatchSize(ratePerSecond, burst, w, 1);
}

/** Tokens the primary takes from the global source in one call: ceil(rate x 0.05 s), 1..burst. */
export function globalBatchSize(ratePerSecond: number, burst: number): number {
  const whole = Math.max(1, Math.floor(burst));
  return Math.max(1, Math.min(whole, Math.ceil(ratePerSecond * GLOBAL_BATCH_SECONDS)));
}

/**
 * The most tokens one host holds unspent for one key of a global limit: its primary's pool
 * (one global batch) plus its workers' leases. With H hosts the global error bound is H times this.
 */
export function globalErrorBound(ratePerSecond: number, burst: number, workers: number): number {
  return globalBatchSize(ratePerSecond, burst) + leaseErrorBound(ratePerSecond, burst, workers);
}
