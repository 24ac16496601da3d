/**
 * A source of monotonic milliseconds. Supervision takes one so tests control time without
 * sleeping (STYLE.md rule 9).
 */
export interface Clock {
  now(): number;
}

/** The process's monotonic clock (`performance.now()`): immune to wall-clock jumps. */
export const monotonicClock: Clock = {
  now: () => performance.now(),
};
