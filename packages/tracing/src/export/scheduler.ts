/**
 * Time and timers for `SpanQueue`, injected so tests drive the flush interval without sleeping
 * (STYLE.md rule 9).
 */
export interface Scheduler {
  /** Milliseconds, monotonic enough for intervals. */
  now(): number;
  /** Run `fn` once after `ms`; the timer must not keep the process alive. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** `setTimeout` with `unref()`: a pending flush never holds a worker open at exit. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
