export { Fleet } from './fleet';
export type { FleetApplyResult, FleetOptions, LeaseBankPort } from './fleet';
export { createClusterSpawner, resolveSchedulingPolicy } from './cluster-spawner';
export type { ClusterSpawnerOptions, SchedulingPolicy } from './cluster-spawner';
export type { WorkerStats, WorkerStatus } from './status-board';
export type { SpawnWorker, WorkerChannel, WorkerEvents } from './worker-channel';
export type { WorkerState } from './worker-slot';
export type { WorkerMetricsSample } from './metrics-rounds';
export type { CachePurgeResult, WorkerPurgeCount, WorkerRef } from './purge-rounds';
