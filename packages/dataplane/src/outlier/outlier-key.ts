import type { OutlierDetectorOptions } from './outlier-detector';

/**
 * The stable identity of an upstream's outlier detector (DESIGN.md section 2, "Reconciliation";
 * STYLE.md rule 12): the upstream's name, its endpoints in order (the detector's state is indexed
 * by position), and every setting of the detector. `assemble` reuses the previous runtime's
 * detector when the key is unchanged, so a reload that does not touch the upstream keeps its
 * consecutive-failure counts, ejection multipliers and interval statistics. The ejections
 * themselves live in the endpoints' shared state and outlast even a changed key.
 *
 * Format (`|`-separated, fixed order, never parsed back):
 * `upstream|endpoint,endpoint,...|c5xx|cGateway|cLocal|interval|base|max|percent|sr`.
 */
export function outlierKey(upstream: string, endpoints: readonly string[], o: OutlierDetectorOptions): string {
  const sr = o.successRate === null ? '-' : `${o.successRate.minimumHosts}/${o.successRate.requestVolume}/${o.successRate.stdevFactor}`;
  return `${upstream}|${endpoints.join(',')}|${o.consecutive5xx}|${o.consecutiveGatewayFailure}|${o.consecutiveLocalOriginFailure}|${o.intervalMs}|${o.baseEjectionMs}|${o.maxEjectionMs}|${o.maxEjectionPercent}|${sr}`;
}
