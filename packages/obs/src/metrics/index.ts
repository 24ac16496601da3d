export { metricCatalogue, metricDefinitions, requestDurationBuckets } from './catalogue';
export type { MetricDefinition, MetricKind, MetricAggregation } from './catalogue';
export { createDataplaneMetrics } from './dataplane-metrics';
export type { DataplaneMetrics } from './dataplane-metrics';
export type { RequestMetricHandle } from './request-metric-handle';
export type { Registry } from 'prom-client';
