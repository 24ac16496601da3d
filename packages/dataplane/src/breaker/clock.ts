import { performance } from 'node:perf_hooks';

/**
 * A monotonic time source in milliseconds (STYLE.md rule 9). Breakers, outlier detection and
 * retry timing take one, so tests drive time with a fake clock instead of sleeping. Only
 * differences between readings mean anything; the origin is arbitrary.
 */
export interface Clock {
  now(): number;
}

/**
 * The process clock: `performance.now()`, monotonic and immune to wall-clock steps (NTP, manual
 * changes), which a breaker's open interval or an ejection deadline must never follow.
 */
export const monotonicClock: Clock = Object.freeze({
  now: (): number => performance.now(),
});
