/**
 * Request totals by rollout arm, read from aggregated metric families (prom-client's
 * `getMetricsAsJSON()` shape): what the rollout analysis judges and the admin API's
 * `GET /admin/stats` charts. Pure; it lives here, beside the catalogue that names the two
 * metrics it reads, so both control-plane modules share it.
 */
import { metricCatalogue, requestDurationBuckets as requestDurationBounds } from './catalogue';

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

