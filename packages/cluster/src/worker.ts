/**
 * `@weir/cluster/worker`: what a worker process uses. It must stay free of supervision code and
 * of anything the control plane needs (archcheck checks the worker's import closure).
 */
export { LeaseChannel, WorkerAgent, processPort } from './agent/index';
export type { PreparedSnapshot, PrimaryPort, SinkStats, SnapshotSink, WorkerAgentOptions } from './agent/index';
export type { ArmSplit, EndpointHealth, ListenerInfo, UpstreamStateReport } from './protocol/index';
export { tlsTicketSecret, workerCount } from './protocol/index';
