/**
 * Metrics aggregated at the primary: `MetricsAggregator.metrics()` -> `{ contentType, body }`
 * (the admin API's `GET /metrics`), over `Fleet.collectMetrics` and obs' `WorkerMetricsLedger`.
 */
export { MetricsAggregator } from './metrics-aggregator';
export type { MetricsAggregatorOptions, MetricsExposition, MetricsSource } from './metrics-aggregator';
