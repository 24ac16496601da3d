import { metricCatalogue, requestDurationBuckets as requestDurationBounds } from '@weir/obs';

/** One arm's request counts and cumulative duration buckets (Prometheus `le` semantics). */
export interface ArmTotals {
  readonly requests: number;
  /** Requests answered with a status of 500 or more (Weir's own 502/503/504 included). */
  readonly errors: number;
  /** Cumulative counts per bucket bound of `requestDurationBounds`, then `+Inf`. */
  readonly buckets: readonly number[];
}

/** Both arms at one moment, or over a window (the difference of two moments). */
export interface ArmSnapshot {
  readonly stable: ArmTotals;
  readonly candidate: ArmTotals;
}

/** The parts of prom-client's `getMetricsAsJSON()` families this module reads. */
export interface MetricFamilyLike {
  readonly name: string;
  readonly values: readonly { readonly labels: Readonly<Record<string, string | number>>; readonly value: number; readonly metricName?: string }[];
}

const REQUESTS = metricCatalogue.requestsTotal.name;
const DURATION = metricCatalogue.requestDurationSeconds.name;
const BUCKET = `${DURATION}_bucket`;

function empty(): { requests: number; errors: number; buckets: number[] } {
  return { requests: 0, errors: 0, buckets: new Array<number>(requestDurationBounds.length + 1).fill(0) };
}

/**
 * Sums the aggregated request metrics by arm: every route and upstream together, since a
 * rollout is judged as a whole. Families other than the two request metrics are ignored.
 */
export function readArmTotals(families: readonly MetricFamilyLike[]): ArmSnapshot {
  const arms = { stable: empty(), candidate: empty() };
  for (const family of families) {
    if (family.name !== REQUESTS && family.name !== DURATION) continue;
    for (const v of family.values) {
      const arm = v.labels['arm'] === 'candidate' ? arms.candidate : v.labels['arm'] === 'stable' ? arms.stable : null;
      if (arm === null) continue;
      if (family.name === REQUESTS) {
        arm.requests += v.value;
        if (Number(v.labels['status']) >= 500) arm.errors += v.value;
      } else if (v.metricName === BUCKET) {
        const index = bucketIndex(v.labels['le']);
        if (index !== -1) arm.buckets[index] = (arm.buckets[index] as number) + v.value;
      }
    }
  }
  return arms;
}

function bucketIndex(le: string | number | undefined): number {
  if (le === '+Inf') return requestDurationBounds.length;
  const bound = Number(le);
  return requestDurationBounds.indexOf(bound);
}

/** What happened between two moments: `end - start`, never negative (a counter reset reads as 0). */
export function windowBetween(start: ArmSnapshot, end: ArmSnapshot): ArmSnapshot {
  return { stable: minus(end.stable, start.stable), candidate: minus(end.candidate, start.candidate) };
}

function minus(a: ArmTotals, b: ArmTotals): ArmTotals {
  return {
    requests: Math.max(0, a.requests - b.requests),
    errors: Math.max(0, a.errors - b.errors),
    buckets: a.buckets.map((v, i) => Math.max(0, v - (b.buckets[i] ?? 0))),
  };
}

/**
 * The q-quantile of an arm's durations in milliseconds, interpolated linearly inside its bucket
 * as Prometheus' `histogram_quantile` does; null without observations. A quantile in the `+Inf`
 * bucket reads as the largest finite bound.
 */
export function quantileMs(totals: ArmTotals, q: number): number | null {
  const buckets = totals.buckets;
  const count = buckets[buckets.length - 1] as number;
  if (count <= 0) return null;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < requestDurationBounds.length; i++) {
    const upper = requestDurationBounds[i] as number;
    const cumulative = buckets[i] as number;
    if (cumulative >= rank) {
      const inBucket = cumulative - lowerCount;
      const fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
      return (lowerBound + (upper - lowerBound) * fraction) * 1000;
    }
    lowerBound = upper;
    lowerCount = cumulative;
  }
  return lowerBound * 1000;
}
