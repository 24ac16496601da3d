import type { TracingConfig, TracingExportConfig } from '@weir/config';
import { configDefaults } from '../spec/index';
import type { TracingExportSpec, TracingSpec } from '../spec/index';

const t = configDefaults.tracing;
const ts = configDefaults.tracingSampling;
const te = configDefaults.tracingExport;

/**
 * `tracing` for the spec, every default filled in (issue 18). Keys are listed sorted, like the
 * rest of the build (see spec/canonical-json.ts); header names are lower-cased (validation
 * allows each name once, case-insensitively, through the schema's `headerValues`).
 */
export function buildTracing(config: TracingConfig | undefined): TracingSpec {
  const sampling = config?.sampling;
  return {
    export: config?.export === undefined ? null : buildExport(config.export),
    keepErrors: sampling?.keepErrors ?? ts.keepErrors,
    parentBased: sampling?.parentBased ?? ts.parentBased,
    propagation: config?.propagation ?? t.propagation,
    ratio: sampling?.ratio ?? ts.ratio,
    resourceAttributes: sortedRecord(config?.resourceAttributes ?? {}, false),
    serviceName: config?.serviceName ?? t.serviceName,
  };
}

function buildExport(exporter: TracingExportConfig): TracingExportSpec {
  return {
    flushIntervalMs: exporter.flushIntervalMs ?? te.flushIntervalMs,
    headers: sortedRecord(exporter.headers ?? {}, true),
    maxBatchSpans: exporter.maxBatchSpans ?? te.maxBatchSpans,
    maxQueueSpans: exporter.maxQueueSpans ?? te.maxQueueSpans,
    timeoutMs: exporter.timeoutMs ?? te.timeoutMs,
    url: otlpTracesUrl(exporter.endpoint),
  };
}

/**
 * The OTLP/HTTP convention (OpenTelemetry's `OTEL_EXPORTER_OTLP_ENDPOINT`): a base endpoint gets
 * `/v1/traces` appended (after a single trailing slash is dropped); a URL that already ends in
 * `/v1/traces` is used as it is.
 */
export function otlpTracesUrl(endpoint: string): string {
  if (endpoint.endsWith('/v1/traces')) return endpoint;
  return (endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint) + '/v1/traces';
}

function sortedRecord(record: Readonly<Record<string, string>>, lowerCaseKeys: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = Object.keys(record).map((k) => [lowerCaseKeys ? k.toLowerCase() : k, record[k] as string] as const);
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [k, v] of keys) out[k] = v;
  return out;
}
