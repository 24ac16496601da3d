import { requestDurationBuckets as requestDurationBounds, type ArmTotals } from '@weir/obs';

export { readArmTotals, windowBetween } from '@weir/obs';
export type { ArmTotals, ArmSnapshot, MetricFamilyLike } from '@weir/obs';

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
