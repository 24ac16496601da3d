export { WorkerAgent } from './worker-agent';
export type { WorkerAgentOptions } from './worker-agent';
export { processPort } from './primary-port';
export { LeaseChannel } from './lease-channel';
export type { PrimaryPort } from './primary-port';
export type { PreparedSnapshot, SinkStats, SnapshotSink } from './snapshot-sink';
