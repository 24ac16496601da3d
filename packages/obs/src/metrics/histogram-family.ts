import type { Aggregator, Metric, Registry } from 'prom-client';
import type { MetricDefinition } from './catalogue';

/**
 * One series of a {@link HistogramFamily}: fixed label values, bucket counts in a typed array.
 * `observe` is a bounded scan over the bounds (15 for request durations) and three additions: no
 * allocation, no label hashing. prom-client's `histogram.labels(...).observe()` validates and
 * hashes the labels on every call (~400 ns on our 2-core machine, against ~15 ns here).
 */
export class HistogramSeries {
  /** Non-cumulative counts per bucket; the last slot counts values above the largest bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  /**
   * Per bucket, the last traced observation that fell in it (issue 18): an OpenMetrics exemplar
   * linking the bucket to one exported trace. Allocated on the first traced observation.
   */
  exemplars: (Exemplar | undefined)[] | null = null;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Record one value. Negative and NaN values are recorded as 0 (a duration cannot be less). */
  observe(value: number): void {
    const v = value > 0 ? value : 0;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && v > (bounds[i] as number)) i++;
    (this.counts[i] as number)++;
    this.sum += v;
    this.count++;
  }

  /**
   * Record one value of a request whose spans were exported, keeping `traceId` as its bucket's
   * exemplar (the latest wins, as Prometheus client libraries do). `timestamp`: epoch seconds.
   */
  observeTraced(value: number, traceId: string, timestamp: number): void {
    this.observe(value);
    const v = value > 0 ? value : 0;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && v > (bounds[i] as number)) i++;
    if (this.exemplars === null) this.exemplars = new Array<Exemplar | undefined>(bounds.length + 1);
    this.exemplars[i] = { labelSet: { trace_id: traceId }, value: v, timestamp };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.exemplars = null;
  }
}

/** An OpenMetrics exemplar in prom-client's shape (`value.exemplar` of a bucket). */
export interface Exemplar {
  readonly labelSet: { readonly trace_id: string };
  readonly value: number;
  /** Epoch seconds. */
  readonly timestamp: number;
}

/** The JSON shape prom-client's Registry and AggregatorRegistry read from `metric.get()`. */
interface MetricJSON {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: Aggregator;
  readonly values: { labels: Record<string, string | number>; value: number; metricName: string; exemplar?: Exemplar }[];
}

/**
 * A histogram metric whose series are resolved once (per route x upstream, at assemble time) and
 * then observed without touching prom-client. It registers in a prom-client Registry as a custom
 * metric object: prom-client reads any registered metric through `get()` (and `reset()`), which
 * is also how its own AggregatorRegistry registers aggregated metrics, and `get()` returns
 * exactly the shape of prom-client's Histogram (`_bucket` with cumulative `le` counts including
 * `+Inf`, `_sum`, `_count`), so scrapes and cluster aggregation see an ordinary histogram.
 */
export class HistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator: Aggregator;
  private readonly labelNames: readonly string[];
  private readonly bounds: Float64Array;
  private readonly series = new Map<string, HistogramSeries>();

  constructor(definition: MetricDefinition, registry: Registry) {
    this.name = definition.name;
    this.help = definition.help;
    this.aggregator = definition.aggregator;
    this.labelNames = definition.labels;
    this.bounds = Float64Array.from(definition.buckets ?? []);
    // prom-client types registerMetric to its own classes; any object with name/get/reset works
    // (see the class comment).
    registry.registerMetric(this as unknown as Metric);
  }

  /**
   * The series for these label values (in the catalogue's label order), created on first use
   * and shared afterwards, so a runtime rebuilt for a new config version keeps counting into the
   * same series.
   */
  child(labelValues: readonly string[]): HistogramSeries {
    const key = labelValues.join('\u0000');
    let series = this.series.get(key);
    if (series === undefined) {
      const labels: Record<string, string> = {};
      for (let i = 0; i < this.labelNames.length; i++) labels[this.labelNames[i] as string] = labelValues[i] ?? '';
      series = new HistogramSeries(labels, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  /** Forget the series of these label values (no runtime holds them any more). */
  remove(labelValues: readonly string[]): void {
    this.series.delete(labelValues.join('\u0000'));
  }

  /** Called by the Registry on a scrape: every series as prom-client histogram values. */
  get(): Promise<MetricJSON> {
    const values: MetricJSON['values'] = [];
    const bucketName = this.name + '_bucket';
    for (const series of this.series.values()) {
      let cumulative = 0;
      const exemplars = series.exemplars;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += series.counts[i] as number;
        const value: MetricJSON['values'][number] = { labels: { ...series.labels, le: this.bounds[i] as number }, value: cumulative, metricName: bucketName };
        if (exemplars !== null && exemplars[i] !== undefined) value.exemplar = exemplars[i];
        values.push(value);
      }
      const inf: MetricJSON['values'][number] = { labels: { ...series.labels, le: '+Inf' }, value: series.count, metricName: bucketName };
      if (exemplars !== null && exemplars[this.bounds.length] !== undefined) inf.exemplar = exemplars[this.bounds.length];
      values.push(inf);
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: this.name + '_sum' });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: this.name + '_count' });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Called by `registry.resetMetrics()`: zero every series, keeping handles valid. */
  reset(): void {
    for (const series of this.series.values()) series.reset();
  }
}
