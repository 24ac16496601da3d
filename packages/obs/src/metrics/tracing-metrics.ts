import { Counter, Gauge, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as config } from './metric-options';

/** A worker's span export counts (the data plane's `TraceExports.readings()`), plain numbers. */
export interface TraceExportReading {
  readonly exported: number;
  readonly queueFull: number;
  readonly exportFailed: number;
  readonly shutdown: number;
  readonly queued: number;
}

const DROP_REASONS: readonly (readonly [keyof TraceExportReading, string])[] = [
  ['queueFull', 'queue_full'],
  ['exportFailed', 'export_failed'],
  ['shutdown', 'shutdown'],
];

/**
 * Span export metrics of one worker (issue 18): `weir_tracing_spans_exported_total`,
 * `weir_tracing_spans_dropped_total{reason}` and `weir_tracing_queue_spans`, read from the export
 * queues at scrape time (the request path only pushes spans). The readings are totals since the
 * worker started; counters advance by the difference since the last scrape.
 */
export class TracingMetrics {
  private source: (() => TraceExportReading) | null = null;
  private last: TraceExportReading = { exported: 0, queueFull: 0, exportFailed: 0, shutdown: 0, queued: 0 };

  constructor(registry: Registry) {
    const c = metricCatalogue;
    const metrics = this;
    // The first metric registered reads the queues once per scrape and feeds the other two:
    // prom-client collects in registration order, so all three agree within a scrape.
    let dropped: Counter<string> | null = null;
    new Counter({
      ...config(c.tracingSpansExportedTotal, registry),
      collect(this: Counter<string>) {
        metrics.sync(this, dropped as Counter<string>);
      },
    });
    dropped = new Counter(config(c.tracingSpansDroppedTotal, registry));
    new Gauge({
      ...config(c.tracingQueueSpans, registry),
      collect(this: Gauge<string>) {
        this.set(metrics.last.queued);
      },
    });
  }

  /** Where the export counts are read at scrape time. */
  watch(source: () => TraceExportReading): void {
    this.source = source;
  }

  private sync(exported: Counter<string>, dropped: Counter<string>): void {
    if (this.source === null) return;
    const reading = this.source();
    const last = this.last;
    if (reading.exported > last.exported) exported.inc(reading.exported - last.exported);
    for (const [field, reason] of DROP_REASONS) {
      const delta = reading[field] - last[field];
      if (delta > 0) dropped.inc({ reason }, delta);
    }
    this.last = reading;
  }
}
