/**
 * A wall-clock time source in epoch milliseconds (STYLE.md rule 9). Unlike the breakers'
 * monotonic clock, cache freshness compares against `Date`, `Expires` and `Last-Modified`, so
 * this clock must be the wall clock (the data plane may pass its coarse per-tick reading).
 */
export interface Clock {
  now(): number;
}

/** `Date.now()`. */
export const wallClock: Clock = Object.freeze({
  now: (): number => Date.now(),
});
