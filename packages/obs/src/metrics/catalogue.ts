/**
 * The metric catalogue: every metric Weir exports, in one file (STYLE.md rule 4). Code creates
 * metrics only from these entries, so names, help and labels cannot drift between workers, the
 * primary's aggregation and `apps/weir/docs/metrics.md`; a test checks the doc table against
 * this file in both directions.
 *
 * Naming follows Prometheus practice: `weir_` prefix, base units (seconds, bytes), counters end
 * in `_total`. Label values are bounded: route and upstream names come from the config, status
 * is the numeric HTTP status, code is a WEIR_ERR_* code. Never put a request's own data (path,
 * client address) in a label.
 */

/** The Prometheus metric types Weir uses. */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/**
 * How the primary combines the values of one series across workers (prom-client's
 * AggregatorRegistry `aggregator`): `sum` for counts, `max` for info gauges that are 1 in every
 * worker.
 */
export type MetricAggregation = 'sum' | 'max';

/** One catalogue entry. */
export interface MetricDefinition {
  /** Full Prometheus name. */
  readonly name: string;
  /** The `# HELP` text: what is counted, and when. */
  readonly help: string;
  readonly type: MetricKind;
  /** Label names, in order. Empty for a single series. */
  readonly labels: readonly string[];
  /** Cross-worker aggregation. */
  readonly aggregator: MetricAggregation;
  /** Histograms only: bucket upper bounds, ascending (`+Inf` is implicit). */
  readonly buckets?: readonly number[];
}

/**
 * Latency buckets for a proxy, in seconds: from 0.5 ms (a keep-alive hop on loopback) to 30 s
 * (the default upstream request timeout), about 2-2.5x apart so p50/p99 estimates stay within a
 * bucket's width across the whole range. 15 bounds plus `+Inf`.
 */
export const requestDurationBuckets: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
]);

export const metricCatalogue = {
  requestsTotal: {
    name: 'weir_requests_total',
    help: 'Requests completed by the data plane, by route, upstream and response status. route is "" when no route matched; upstream is "" for direct responses and unrouted requests; status 499 means the client went away first.',
    type: 'counter',
    labels: ['route', 'upstream', 'status'],
    aggregator: 'sum',
  },
  requestDurationSeconds: {
    name: 'weir_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, in seconds, by route and upstream.',
    type: 'histogram',
    labels: ['route', 'upstream'],
    aggregator: 'sum',
    buckets: requestDurationBuckets,
  },
  upstreamErrorsTotal: {
    name: 'weir_upstream_errors_total',
    help: 'Failed attempts to get a response from an upstream, by upstream and WEIR_ERR_* code (a retried request counts each failed attempt).',
    type: 'counter',
    labels: ['upstream', 'code'],
    aggregator: 'sum',
  },
  requestsInFlight: {
    name: 'weir_requests_in_flight',
    help: 'Requests being served right now (received, response not yet finished).',
    type: 'gauge',
    labels: [],
    aggregator: 'sum',
  },
  downstreamConnections: {
    name: 'weir_downstream_connections',
    help: 'Client connections open right now on the proxy listeners.',
    type: 'gauge',
    labels: [],
    aggregator: 'sum',
  },
  configInfo: {
    name: 'weir_config_info',
    help: 'Always 1, labelled with the config version being served.',
    type: 'gauge',
    labels: ['version'],
    aggregator: 'max',
  },
} as const satisfies Record<string, MetricDefinition>;

/** Every catalogue entry, in catalogue order. */
export const metricDefinitions: readonly MetricDefinition[] = Object.freeze(Object.values(metricCatalogue));
