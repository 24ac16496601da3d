import { WorkerMetricsLedger, attachExemplars, checkMetricFamilies, exposeMetrics, exposeOpenMetrics, metricsToJSON, type MetricFamilyJSON, type Registry } from '@weir/obs';
import type { WorkerMetricsSample } from '../fleet/index';

/** Where worker metrics come from: `Fleet.collectMetrics`; tests pass a fake. */
export interface MetricsSource {
  collectMetrics(timeoutMs?: number): Promise<readonly WorkerMetricsSample[]>;
}

/** Options of {@link MetricsAggregator}. */
export interface MetricsAggregatorOptions {
  readonly fleet: MetricsSource;
  /** The primary's own registries (control-plane metrics), appended after the workers' aggregate. */
  readonly registries?: readonly Registry[];
  /** How long a scrape waits for workers; a slower one is represented by its last values. Default `2000` ms. */
  readonly timeoutMs?: number;
}

/** A Prometheus exposition, ready to send. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The primary's `/metrics`: every worker's metrics, collected over Weir's IPC channel and
 * aggregated per the catalogue (prom-client's `AggregatorRegistry.aggregate`), with counters
 * kept monotonic across worker restarts (obs `WorkerMetricsLedger`), followed by the primary's
 * own metrics.
 *
 * Scrapes that overlap share one collection: two Prometheus servers scraping at once cost one
 * round of IPC, and the ledger sees each worker's answers once.
 */
export class MetricsAggregator {
  private readonly fleet: MetricsSource;
  private readonly registries: readonly Registry[];
  private readonly timeoutMs: number;
  private readonly ledger = new WorkerMetricsLedger();
  private inFlight: Promise<MetricsExposition> | null = null;
  private openMetricsInFlight: Promise<MetricsExposition> | null = null;
  private familiesInFlight: Promise<readonly MetricFamilyJSON[]> | null = null;

  constructor(options: MetricsAggregatorOptions) {
    this.fleet = options.fleet;
    this.registries = options.registries ?? [];
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** Scrape every worker and render the aggregated exposition (Prometheus text format 0.0.4). */
  metrics(): Promise<MetricsExposition> {
    if (this.inFlight === null) {
      this.inFlight = this.scrape().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /**
   * The same metrics in the OpenMetrics text format (`Accept: application/openmetrics-text`),
   * with the request-duration buckets' exemplars: the newest trace id any worker reported for
   * each bucket (issue 18). Overlapping scrapes share one collection.
   */
  openMetrics(): Promise<MetricsExposition> {
    if (this.openMetricsInFlight === null) {
      this.openMetricsInFlight = this.scrapeOpenMetrics().finally(() => {
        this.openMetricsInFlight = null;
      });
    }
    return this.openMetricsInFlight;
  }

  /**
   * The workers' metrics aggregated as for a scrape, as metric families (prom-client's
   * `getMetricsAsJSON()` shape): what the rollout analysis reads, with the same monotonic
   * counters across worker restarts. Overlapping calls share one collection.
   */
  families(): Promise<readonly MetricFamilyJSON[]> {
    if (this.familiesInFlight === null) {
      this.familiesInFlight = this.collect()
        .then((registry) => metricsToJSON(registry))
        .finally(() => {
          this.familiesInFlight = null;
        });
    }
    return this.familiesInFlight;
  }

  private async collect(): Promise<Registry> {
    return (await this.collectReports()).registry;
  }

  private async collectReports(): Promise<{ registry: Registry; perProcess: (readonly MetricFamilyJSON[])[] }> {
    const samples = await this.fleet.collectMetrics(this.timeoutMs);
    const reports = samples.map((s) => ({ index: s.index, pid: s.pid, families: s.metrics }));
    // The ledger checks each report's shape (checkMetricFamilies); exemplars read the same.
    return { registry: await this.ledger.aggregate(reports), perProcess: reports.map((r) => checkMetricFamilies(r.families)) };
  }

  private async scrapeOpenMetrics(): Promise<MetricsExposition> {
    const { registry, perProcess } = await this.collectReports();
    const families = attachExemplars(await metricsToJSON(registry), perProcess);
    for (const own of this.registries) families.push(...(await metricsToJSON(own)));
    return exposeOpenMetrics(families);
  }

  private async scrape(): Promise<MetricsExposition> {
    return exposeMetrics([await this.collect(), ...this.registries]);
  }
}
