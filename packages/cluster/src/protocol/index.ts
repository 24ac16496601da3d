export { isPrimaryMessage, isWorkerMessage } from './messages';
export type {
  AbortMessage,
  AckMessage,
  CommitMessage,
  CommittedMessage,
  DrainMessage,
  HelloMessage,
  ListenerInfo,
  NackMessage,
  PrepareMessage,
  PrimaryMessage,
  StatsRequestMessage,
  StatsResultMessage,
  WorkerMessage,
} from './messages';
