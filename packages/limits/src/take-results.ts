import type { TakeResult } from './lease-types';

/**
 * Shared, frozen `TakeResult`s, so a decision allocates nothing (STYLE.md rule 7): admitted ones
 * are cached by `remaining`, denied ones by `retryAfterSeconds` (1..RESULT_CACHE_SIZE - 1), each
 * built on first use. An admitted `remaining` of 4096 or more is reported as 4095: the value is
 * an approximate host view anyway, and a lower `RateLimit: r=` only makes clients more careful,
 * while one object per request for large buckets would not be free (measured: 1 MB of garbage
 * per 5 M takes). A denial of an hour or more allocates (rare: the cache covers 68 minutes).
 */
export const RESULT_CACHE_SIZE = 4096;

/** Admitted, nothing known about what is left: fail-open answers use it. */
export const ADMITTED: TakeResult = Object.freeze({ admitted: true, remaining: 0, retryAfterSeconds: 0 });

/** Denied, retry after one second: the `closed` failure mode's answer. */
export const DENIED_ONE_SECOND: TakeResult = Object.freeze({ admitted: false, remaining: 0, retryAfterSeconds: 1 });

const admittedCache: (TakeResult | undefined)[] = [ADMITTED];
const deniedCache: (TakeResult | undefined)[] = [undefined, DENIED_ONE_SECOND];

/** The admitted result with `remaining` (a whole number >= 0; 4095 at most, see above). */
export function admittedResult(remaining: number): TakeResult {
  const value = remaining < RESULT_CACHE_SIZE ? remaining : RESULT_CACHE_SIZE - 1;
  const cached = admittedCache[value];
  if (cached !== undefined) return cached;
  const made = Object.freeze({ admitted: true, remaining: value, retryAfterSeconds: 0 });
  admittedCache[value] = made;
  return made;
}

/** The denied result for a wait of `retryAfterMs` (rounded up to whole seconds, at least 1). */
export function deniedResult(retryAfterMs: number): TakeResult {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (seconds < RESULT_CACHE_SIZE) {
    const cached = deniedCache[seconds];
    if (cached !== undefined) return cached;
    const made = Object.freeze({ admitted: false, remaining: 0, retryAfterSeconds: seconds });
    deniedCache[seconds] = made;
    return made;
  }
  return Object.freeze({ admitted: false, remaining: 0, retryAfterSeconds: seconds });
}
