import type { HrTime } from '@opentelemetry/api';

/**
 * Milliseconds since the epoch (a float, as `performance.timeOrigin + performance.now()` gives)
 * to OpenTelemetry's HrTime `[seconds, nanoseconds]`. The sub-millisecond part is kept: a
 * present-day epoch in ms leaves about 12 bits of a double for the fraction, so the result is
 * precise to a fraction of a microsecond.
 */
export function epochHrTime(epochMs: number): [number, number] {
  const wholeMs = Math.floor(epochMs);
  const seconds = Math.floor(wholeMs / 1000);
  let nanos = (wholeMs - seconds * 1000) * 1e6 + Math.round((epochMs - wholeMs) * 1e6);
  if (nanos >= 1e9) return [seconds + 1, nanos - 1e9];
  if (nanos < 0) nanos = 0;
  return [seconds, nanos];
}

/** `end - start` as HrTime (the span's duration); never negative. */
export function hrTimeDiff(start: HrTime, end: HrTime): [number, number] {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return seconds < 0 ? [0, 0] : [seconds, nanos];
}
