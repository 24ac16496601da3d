/**
 * `@weir/cluster/primary`: what the primary process uses. Kept apart from `./worker` so a worker
 * never loads supervision code and the primary never loads the agent.
 */
export { Fleet, createClusterSpawner, resolveSchedulingPolicy } from './fleet/index';
export type {
  CachePurgeResult,
  ClusterSpawnerOptions,
  FleetApplyResult,
  FleetOptions,
  LeaseBankPort,
  SchedulingPolicy,
  SpawnWorker,
  WorkerChannel,
  WorkerEvents,
  WorkerMetricsSample,
  WorkerPurgeCount,
  WorkerRef,
  WorkerState,
  WorkerStats,
  WorkerStatus,
  WorkerUpstreamStates,
} from './fleet/index';
export { MetricsAggregator } from './metrics/index';
export type { MetricsAggregatorOptions, MetricsExposition, MetricsSource } from './metrics/index';
export { RestartBackoff, monotonicClock } from './backoff/index';
export type { Clock, RestartBackoffOptions } from './backoff/index';
export type { ArmSplit, BreakerStateName, CachePurgeTarget, EndpointHealth, EndpointStateReport, ListenerInfo, UpstreamStateReport } from './protocol/index';
