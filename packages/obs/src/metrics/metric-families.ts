import { AggregatorRegistry, Registry, type Metric, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/**
 * One metric family as prom-client's `registry.getMetricsAsJSON()` writes it: plain data, so it
 * crosses the cluster IPC channel as is, and `AggregatorRegistry.aggregate` reads it back.
 * Histogram values carry `metricName` (`_bucket`, `_sum`, `_count`) and an `le` label.
 */
export interface MetricFamilyJSON {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  /** prom-client aggregator name (`sum`, `max`, ...): how the primary combines workers. */
  readonly aggregator: string;
  readonly values: readonly MetricSampleJSON[];
}

/** One sample of a {@link MetricFamilyJSON}. */
export interface MetricSampleJSON {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName?: string;
  /** A histogram bucket's exemplar (issue 18): the trace of one request that fell in it. */
  readonly exemplar?: ExemplarJSON;
}

/** An OpenMetrics exemplar as prom-client writes it. */
export interface ExemplarJSON {
  readonly labelSet: Readonly<Record<string, string>>;
  readonly value: number;
  /** Epoch seconds. */
  readonly timestamp: number;
}

/** prom-client's aggregators; anything else would make `aggregate` throw. */
const AGGREGATORS: ReadonlySet<string> = new Set(['sum', 'first', 'min', 'max', 'average', 'omit']);

/** A worker's metrics as JSON, for the primary: `getMetricsAsJSON` of its registry. */
export async function metricsToJSON(registry: Registry): Promise<MetricFamilyJSON[]> {
  return (await registry.getMetricsAsJSON()) as unknown as MetricFamilyJSON[];
}

function isSample(value: unknown): value is MetricSampleJSON {
  if (typeof value !== 'object' || value === null) return false;
  const sample = value as Readonly<Record<string, unknown>>;
  const labels = sample['labels'];
  return (
    typeof sample['value'] === 'number' &&
    typeof labels === 'object' &&
    labels !== null &&
    (sample['metricName'] === undefined || typeof sample['metricName'] === 'string') &&
    (sample['exemplar'] === undefined || isExemplar(sample['exemplar']))
  );
}

function isExemplar(value: unknown): value is ExemplarJSON {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Readonly<Record<string, unknown>>;
  const labelSet = e['labelSet'];
  return (
    typeof e['value'] === 'number' &&
    typeof e['timestamp'] === 'number' &&
    typeof labelSet === 'object' &&
    labelSet !== null &&
    Object.values(labelSet).every((v) => typeof v === 'string')
  );
}

/**
 * The families of `value` that have the shape above (a worker is another process: its answer
 * is checked once, here, before aggregation trusts it). Malformed entries are dropped.
 */
export function checkMetricFamilies(value: unknown): MetricFamilyJSON[] {
  if (!Array.isArray(value)) return [];
  const out: MetricFamilyJSON[] = [];
  for (let i = 0; i < value.length; i++) {
    const family = value[i] as Readonly<Record<string, unknown>> | null;
    if (typeof family !== 'object' || family === null) continue;
    const values = family['values'];
    if (
      typeof family['name'] === 'string' &&
      typeof family['help'] === 'string' &&
      typeof family['type'] === 'string' &&
      typeof family['aggregator'] === 'string' &&
      AGGREGATORS.has(family['aggregator']) &&
      Array.isArray(values) &&
      values.every(isSample)
    ) {
      out.push(family as unknown as MetricFamilyJSON);
    }
  }
  return out;
}

/**
 * Combine several processes' families into one registry, each family by its own `aggregator`
 * (prom-client's `AggregatorRegistry.aggregate`: `sum` adds series with equal labels, `max`
 * keeps the largest). Only the static `aggregate` is used: it never touches node:cluster, the
 * IPC is Weir's own (`Fleet.collectMetrics`).
 */
export function aggregateMetricFamilies(perProcess: readonly (readonly MetricFamilyJSON[])[]): Registry {
  return AggregatorRegistry.aggregate(perProcess as unknown as MetricObjectWithValues<MetricValue<string>>[][]);
}

/** Prometheus text exposition of registries, concatenated (names must not repeat across them). */
export async function exposeMetrics(registries: readonly Registry[]): Promise<{ readonly contentType: string; readonly body: string }> {
  let body = '';
  for (let i = 0; i < registries.length; i++) {
    const text = await (registries[i] as Registry).metrics();
    if (text === '') continue;
    body += text.endsWith('\n') ? text : text + '\n';
  }
  return { contentType: registries[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8', body };
}

/** The key of one sample within its family: metric name and labels in a fixed order. */
function sampleKey(sample: MetricSampleJSON): string {
  const labels = sample.labels;
  const names = Object.keys(labels).sort();
  let key = sample.metricName ?? '';
  for (let i = 0; i < names.length; i++) key += '\u0000' + names[i] + '=' + String(labels[names[i] as string]);
  return key;
}

/**
 * The aggregated families with each histogram bucket's exemplar put back (issue 18):
 * prom-client's aggregation drops exemplars, so the newest one any process reported for a bucket
 * (same metric and labels) is attached to the aggregated bucket. Families without exemplars are
 * returned as they are.
 */
export function attachExemplars(aggregated: readonly MetricFamilyJSON[], perProcess: readonly (readonly MetricFamilyJSON[])[]): MetricFamilyJSON[] {
  const newest = new Map<string, Map<string, ExemplarJSON>>();
  for (const families of perProcess) {
    for (const family of families) {
      if (family.type !== 'histogram') continue;
      for (const sample of family.values) {
        const exemplar = sample.exemplar;
        if (exemplar === undefined) continue;
        let byKey = newest.get(family.name);
        if (byKey === undefined) newest.set(family.name, (byKey = new Map()));
        const key = sampleKey(sample);
        const seen = byKey.get(key);
        if (seen === undefined || seen.timestamp < exemplar.timestamp) byKey.set(key, exemplar);
      }
    }
  }
  if (newest.size === 0) return aggregated.slice();
  return aggregated.map((family) => {
    const byKey = newest.get(family.name);
    if (byKey === undefined) return family;
    return {
      ...family,
      values: family.values.map((sample) => {
        const exemplar = byKey.get(sampleKey(sample));
        return exemplar === undefined ? sample : { ...sample, exemplar };
      }),
    };
  });
}

/** The OpenMetrics text exposition (with exemplars, `# EOF`) of already collected families. */
export async function exposeOpenMetrics(families: readonly MetricFamilyJSON[]): Promise<{ readonly contentType: string; readonly body: string }> {
  const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const family of families) {
    // A static metric object: prom-client renders any registered object with name/get/reset.
    // OpenMetrics names a counter family without `_total` (its samples get the suffix back).
    const name = family.type === 'counter' && family.name.endsWith('_total') ? family.name.slice(0, -6) : family.name;
    const json = { ...family, name };
    const metric = { name, help: family.help, type: family.type, aggregator: family.aggregator, get: () => Promise.resolve(json), reset: () => undefined };
    registry.registerMetric(metric as unknown as Metric);
  }
  return { contentType: registry.contentType as string, body: await registry.metrics() };
}
