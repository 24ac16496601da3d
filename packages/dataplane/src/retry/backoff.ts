import type { RetryPolicy } from './retry-policy';

/**
 * Fully jittered exponential backoff (the "Full Jitter" of the AWS architecture blog's "Exponential
 * Backoff And Jitter", also Envoy's): retry `retry` (from 1) waits a uniformly random time in
 * `[0, min(maxMs, baseMs * 2^(retry-1)))`. The randomness spreads the retries of many clients
 * that failed together, so they do not return in lockstep.
 *
 * @param random a source of `[0, 1)` (injected: tests use a fixed sequence)
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 30));
  return random() * ceiling;
}

/**
 * The wait before retry `retry`, or -1 when the retry should not be made because the wait does
 * not fit:
 *
 * - the backoff delay (`backoffDelay`) is the base;
 * - a `Retry-After` of the failed response (`retryAfterMs`, -1 when absent) is honoured as a
 *   lower bound: the upstream said when it can take more. It is honoured only when it fits in
 *   the time the route has left (`remainingMs`, from `timeouts.totalMs`), or, for routes without
 *   a total timeout, within the backoff cap `backoff.maxMs`: a longer wait would hold the client
 *   for longer than the route allows, so the retry is dropped and the client gets the upstream's
 *   response, `Retry-After` included, to decide for itself;
 * - with a total timeout, a delay that would use all the time left is pointless: no retry.
 *
 * @param remainingMs time left before the route's total timeout, `Infinity` when it has none
 */
export function retryDelay(policy: RetryPolicy, retry: number, random: () => number, retryAfterMs: number, remainingMs: number): number {
  let delay = backoffDelay(retry, policy.backoffBaseMs, policy.backoffMaxMs, random);
  if (retryAfterMs >= 0) {
    const cap = remainingMs === Infinity ? policy.backoffMaxMs : remainingMs;
    if (retryAfterMs > cap) return -1;
    if (retryAfterMs > delay) delay = retryAfterMs;
  }
  if (delay >= remainingMs) return -1;
  return delay;
}
