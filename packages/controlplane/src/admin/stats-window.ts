import { readArmTotals, requestDurationBuckets, windowBetween, type ArmSnapshot, type ArmTotals, type MetricFamilyLike } from '@weir/obs';

export type { ArmSnapshot, ArmTotals } from '@weir/obs';

/** The request totals `GET /admin/stats` reads: `@weir/obs`'s, shared with the rollout analysis. */
export type RequestFamilyLike = MetricFamilyLike;

/** Reads the aggregated request counters and duration buckets by arm (`@weir/obs` `readArmTotals`). */
export function readRequestTotals(families: readonly RequestFamilyLike[]): ArmSnapshot {
  return readArmTotals(families);
}

/** Rate, error share and p99 of some requests over one interval. */
export interface StatsFigures {
  /** Requests completed per second (rounded to 1/1000). */
  readonly requestsPerSecond: number;
  /** Share of responses with status 500 or more; null with no requests. */
  readonly errorRatio: number | null;
  /**
   * Upper bound (seconds) of the `weir_request_duration_seconds` bucket holding the 99th
   * percentile; null with no requests. Beyond the largest finite bound: that bound.
   */
  readonly p99Seconds: number | null;
}

/** One point of `GET /admin/stats`: all requests, and each rollout arm. */
export interface StatsSample extends StatsFigures {
  /** When the interval ended (ISO 8601). */
  readonly at: string;
  readonly arms: { readonly stable: StatsFigures; readonly candidate: StatsFigures | null };
}

/**
 * The upper bound of the bucket holding the 99th percentile of cumulative `buckets` (one per
 * `requestDurationBuckets` bound, then `+Inf`); null without observations. A percentile in the
 * `+Inf` bucket reads as the largest finite bound. No interpolation: an operator's chart should
 * not show a precision the histogram does not have.
 */
export function p99UpperBound(buckets: readonly number[]): number | null {
  const count = buckets[buckets.length - 1] ?? 0;
  if (count <= 0) return null;
  const rank = 0.99 * count;
  for (let i = 0; i < requestDurationBuckets.length; i++) {
    if ((buckets[i] ?? 0) >= rank) return requestDurationBuckets[i] as number;
  }
  return requestDurationBuckets[requestDurationBuckets.length - 1] ?? null;
}

function figures(totals: ArmTotals, seconds: number): StatsFigures {
  return {
    requestsPerSecond: seconds > 0 ? Math.round((totals.requests / seconds) * 1000) / 1000 : 0,
    errorRatio: totals.requests > 0 ? totals.errors / totals.requests : null,
    p99Seconds: p99UpperBound(totals.buckets),
  };
}

/**
 * The sample for the interval between two readings of the same counters (pure): deltas of the
 * request counters and histogram buckets (never negative: a reset reads as 0) over
 * `elapsedMs`. `candidate` is null unless a rollout was live (`candidateLive`) or the candidate
 * arm completed requests in the interval.
 */
export function statsSample(start: ArmSnapshot, end: ArmSnapshot, elapsedMs: number, at: string, candidateLive: boolean): StatsSample {
  const window = windowBetween(start, end);
  const seconds = elapsedMs / 1000;
  const all: ArmTotals = {
    requests: window.stable.requests + window.candidate.requests,
    errors: window.stable.errors + window.candidate.errors,
    buckets: window.stable.buckets.map((v, i) => v + (window.candidate.buckets[i] ?? 0)),
  };
  const candidate = candidateLive || window.candidate.requests > 0 ? figures(window.candidate, seconds) : null;
  return { at, ...figures(all, seconds), arms: { stable: figures(window.stable, seconds), candidate } };
}
