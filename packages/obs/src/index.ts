/**
 * @weir/obs: process logger, metric catalogue and worker metrics, access log. The only package
 * that imports pino and prom-client (STYLE.md 1.1).
 */
export { createLogger, flushLogger } from './logger/index';
export type { Logger, LogLevel, LoggerOptions } from './logger/index';
export { metricCatalogue, metricDefinitions, requestDurationBuckets, createDataplaneMetrics } from './metrics/index';
export type { MetricDefinition, MetricKind, MetricAggregation, DataplaneMetrics, RequestMetricHandle, Registry, RolloutArm } from './metrics/index';
export type { UpstreamResilienceMetrics } from './metrics/index';
export {
  ControlPlaneMetrics,
  WorkerMetricsLedger,
  aggregateMetricFamilies,
  applyDurationBuckets,
  checkMetricFamilies,
  exposeMetrics,
  exposeOpenMetrics,
  attachExemplars,
  metricsToJSON,
} from './metrics/index';
export type {
  ControlPlaneMetricsOptions,
  FleetReading,
  RolloutReading,
  BundleReading,
  MetricFamilyJSON,
  MetricSampleJSON,
  WorkerMetricsReport,
} from './metrics/index';
export { HealthCheckMetrics } from './metrics/index';
export { TunnelMetrics, TunnelRouteMetrics, EdgeMetrics, PolicyMetrics, CacheMetrics, TracingMetrics } from './metrics/index';
export type { CacheReading, CacheStatsReading, TraceExportReading } from './metrics/index';
export type { CertificateExpiry } from './metrics/index';
export type { TunnelOutcome } from './metrics/index';
export type { EndpointHealthMetrics } from './metrics/index';
export { TrafficMetrics, type MirrorOutcome, type FaultKind } from './metrics/index';
export { AccessLog, createAccessLog } from './access-log/index';
export type { AccessLogOptions, CreateAccessLogOptions, AccessRecord } from './access-log/index';
export { readArmTotals, windowBetween } from './metrics/index';
export type { ArmTotals, ArmSnapshot, MetricFamilyLike } from './metrics/index';
