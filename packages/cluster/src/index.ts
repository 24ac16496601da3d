/**
 * `@weir/cluster`: the IPC protocol between the primary and its workers. The process roles live
 * in the `@weir/cluster/primary` and `@weir/cluster/worker` subpaths.
 */
export { isPrimaryMessage, isWorkerMessage } from './protocol/index';
export type {
  AbortMessage,
  AckMessage,
  ArmSplit,
  CommitMessage,
  CommittedMessage,
  DrainMessage,
  DropCandidateMessage,
  EndpointHealth,
  HealthMessage,
  HelloMessage,
  MetricsRequestMessage,
  MetricsResultMessage,
  ListenerInfo,
  NackMessage,
  PingMessage,
  PongMessage,
  PrepareMessage,
  PrimaryMessage,
  SplitMessage,
  StatsRequestMessage,
  StatsResultMessage,
  WorkerMessage,
} from './protocol/index';
