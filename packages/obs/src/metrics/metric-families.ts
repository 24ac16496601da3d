import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

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
    (sample['metricName'] === undefined || typeof sample['metricName'] === 'string')
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
