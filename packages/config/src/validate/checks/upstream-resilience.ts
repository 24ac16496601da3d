import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * Orderings the schema cannot express in an upstream's resilience settings:
 *
 * - each `healthCheck.expectedStatuses` range is `[low, high]` with `low <= high` (a reversed
 *   range matches nothing, so every check would fail);
 * - `outlierDetection.maxEjectionMs` is at least `baseEjectionMs` (defaults included), or the
 *   first ejection would already exceed the cap. Reported at the field that was written (the
 *   max when both are).
 */
export function checkUpstreamResilience(config: WeirConfig, report: Report): void {
  const upstreams = config.upstreams ?? [];
  for (const [i, upstream] of upstreams.entries()) {
    const statuses = upstream.healthCheck?.expectedStatuses ?? [];
    for (const [j, range] of statuses.entries()) {
      if (range[0] > range[1]) {
        report(jsonPointer('upstreams', i, 'healthCheck', 'expectedStatuses', j), `range [${range[0]}, ${range[1]}] is reversed: write [low, high]`);
      }
    }
    const outlier = upstream.outlierDetection;
    if (outlier === undefined) continue;
    const base = outlier.baseEjectionMs ?? configDefaults.baseEjectionMs;
    const max = outlier.maxEjectionMs ?? configDefaults.maxEjectionMs;
    if (max >= base) continue;
    const field = outlier.maxEjectionMs !== undefined ? 'maxEjectionMs' : 'baseEjectionMs';
    report(jsonPointer('upstreams', i, 'outlierDetection', field), `maxEjectionMs (${max}) must be at least baseEjectionMs (${base})`);
  }
}
