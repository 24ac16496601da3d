import type { Registry } from 'prom-client';
import { aggregateMetricFamilies, checkMetricFamilies, type MetricFamilyJSON } from './metric-families';

/** One worker's answer to a metrics scrape. */
export interface WorkerMetricsReport {
  /** Worker slot (0..workers-1): stable across restarts of the process in it. */
  readonly index: number;
  /** The process that answered; a new pid in a slot means the previous process has gone. */
  readonly pid: number;
  /** Its `getMetricsAsJSON()`, unchecked (it crossed a process boundary). */
  readonly families: unknown;
}

interface SlotMetrics {
  readonly pid: number;
  readonly families: readonly MetricFamilyJSON[];
}

/** Counters and histograms only: values that only grow while their process lives. */
function cumulativeOnly(families: readonly MetricFamilyJSON[]): MetricFamilyJSON[] {
  return families.filter((f) => f.type === 'counter' || f.type === 'histogram');
}

/**
 * Aggregates workers' metrics so that counters never go backwards when a worker is replaced.
 *
 * A counter summed over live workers drops when one of them dies: the new process starts at 0.
 * Prometheus' `rate()` would read that as a reset of the whole aggregated series and count the
 * survivors' totals again. So the primary keeps, per worker slot, the families of the last scrape
 * it answered, and:
 *
 * - when a slot answers with a new pid, the previous process's counters and histograms (its
 *   last scraped values) move into a "retired" total that every later aggregate adds;
 * - when a slot does not answer in time (busy, or dead and not yet replaced), its last scraped
 *   counters and histograms stand in for it; its gauges (in-flight requests, connections,
 *   config info) are left out, since they describe a moment that has passed.
 *
 * So each aggregated counter is at least its value in the previous scrape. What a worker counted
 * between its last scrape and its death is lost (an undercount, never a drop); scraping more
 * often narrows that gap. Gauges are aggregated over the workers that answered only.
 */
export class WorkerMetricsLedger {
  private readonly slots = new Map<number, SlotMetrics>();
  private retired: MetricFamilyJSON[] = [];

  /** Fold in one scrape (the workers that answered) and return the aggregated registry. */
  async aggregate(reports: readonly WorkerMetricsReport[]): Promise<Registry> {
    const answered = new Set<number>();
    const inputs: (readonly MetricFamilyJSON[])[] = [];
    for (let i = 0; i < reports.length; i++) {
      const report = reports[i] as WorkerMetricsReport;
      const families = checkMetricFamilies(report.families);
      const previous = this.slots.get(report.index);
      if (previous !== undefined && previous.pid !== report.pid) await this.retire(previous.families);
      this.slots.set(report.index, { pid: report.pid, families });
      answered.add(report.index);
      inputs.push(families);
    }
    for (const [index, slot] of this.slots) {
      if (!answered.has(index)) inputs.push(cumulativeOnly(slot.families));
    }
    if (this.retired.length > 0) inputs.push(this.retired);
    return aggregateMetricFamilies(inputs);
  }

  private async retire(families: readonly MetricFamilyJSON[]): Promise<void> {
    const cumulative = cumulativeOnly(families);
    if (cumulative.length === 0) return;
    if (this.retired.length === 0) {
      this.retired = cumulative;
      return;
    }
    const merged = await aggregateMetricFamilies([this.retired, cumulative]).getMetricsAsJSON();
    this.retired = merged as unknown as MetricFamilyJSON[];
  }
}
