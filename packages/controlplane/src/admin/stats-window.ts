import { metricCatalogue, requestDurationBuckets } from '@weir/obs';

/**
 * The parts of prom-client's `getMetricsAsJSON()` families read here. (The rollout module reads
 * the same two metrics for its analysis; it imports admin, so admin cannot import it back: a
 * shared reader would live here.)
 */
export interface RequestFamilyLike {
  readonly name: string;
  readonly values: readonly { readonly labels: Readonly<Record<string, string | number>>; readonly value: number; readonly metricName?: string }[];
}

/** One arm's request count, 5xx count and cumulative duration buckets (`le` order, then `+Inf`). */
export interface ArmTotals {
  readonly requests: number;
  readonly errors: number;
  readonly buckets: readonly number[];
}

/** Both arms' totals at one moment. */
export interface ArmSnapshot {
  readonly stable: ArmTotals;
  readonly candidate: ArmTotals;
}

const REQUESTS = metricCatalogue.requestsTotal.name;
const DURATION = metricCatalogue.requestDurationSeconds.name;
const BUCKET = `${DURATION}_bucket`;

function emptyTotals(): { requests: number; errors: number; buckets: number[] } {
  return { requests: 0, errors: 0, buckets: new Array<number>(requestDurationBuckets.length + 1).fill(0) };
}

/**
 * Sums `weir_requests_total` (5xx apart) and the `weir_request_duration_seconds` buckets by
 * rollout arm over every route and upstream. Other families are ignored.
 */
export function readRequestTotals(families: readonly RequestFamilyLike[]): ArmSnapshot {
  const arms = { stable: emptyTotals(), candidate: emptyTotals() };
  for (const family of families) {
    if (family.name !== REQUESTS && family.name !== DURATION) continue;
    for (const v of family.values) {
      const arm = v.labels['arm'] === 'candidate' ? arms.candidate : v.labels['arm'] === 'stable' ? arms.stable : null;
      if (arm === null) continue;
      if (family.name === REQUESTS) {
        arm.requests += v.value;
        if (Number(v.labels['status']) >= 500) arm.errors += v.value;
      } else if (v.metricName === BUCKET) {
        const le = v.labels['le'];
        const index = le === '+Inf' ? requestDurationBuckets.length : requestDurationBuckets.indexOf(Number(le));
        if (index !== -1) arm.buckets[index] = (arm.buckets[index] as number) + v.value;
      }
    }
  }
  return arms;
}

/** `end - start`, never negative (a counter reset reads as 0). */
function minus(end: ArmTotals, start: ArmTotals): ArmTotals {
  return {
    requests: Math.max(0, end.requests - start.requests),
    errors: Math.max(0, end.errors - start.errors),
    buckets: end.buckets.map((v, i) => Math.max(0, v - (start.buckets[i] ?? 0))),
  };
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
  const window = { stable: minus(end.stable, start.stable), candidate: minus(end.candidate, start.candidate) };
  const seconds = elapsedMs / 1000;
  const all: ArmTotals = {
    requests: window.stable.requests + window.candidate.requests,
    errors: window.stable.errors + window.candidate.errors,
    buckets: window.stable.buckets.map((v, i) => v + (window.candidate.buckets[i] ?? 0)),
  };
  const candidate = candidateLive || window.candidate.requests > 0 ? figures(window.candidate, seconds) : null;
  return { at, ...figures(all, seconds), arms: { stable: figures(window.stable, seconds), candidate } };
}
