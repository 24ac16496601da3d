import type { Logger } from '@weir/obs';
import type { Clock, RestartBackoffOptions } from '../backoff/index';
import type { ListenerInfo } from '../protocol/index';
import type { LeaseBankPort } from './lease-answers';
import type { SpawnWorker } from './worker-channel';

/** Options of {@link Fleet}. */
export interface FleetOptions {
  /** Number of worker processes kept running. At least 1. */
  readonly workers: number;
  /** Logs the worker lifecycle (`worker started`, `worker ready`, `worker exited`). */
  readonly logger: Logger;
  /** Worker script, for the default cluster spawner. Default: this process's script (`process.argv[1]`). */
  readonly exec?: string;
  /** Worker script arguments, for the default spawner. Default: none. */
  readonly args?: readonly string[];
  /** How workers are started. Default: node:cluster forks of `exec`. Tests inject fakes. */
  readonly spawn?: SpawnWorker;
  /** Default time every worker has to ack a prepare (and to confirm a commit). Default `10000` ms. */
  readonly applyTimeoutMs?: number;
  /**
   * Longest wait in `start()` for every worker's hello. A worker that is slower (or hung) is
   * synced whenever it does say hello. Default `30000` ms.
   */
  readonly startTimeoutMs?: number;
  /** After a drain's timeout, how long workers get to exit before SIGKILL. Default `2000` ms. */
  readonly drainGraceMs?: number;
  /** Restart policy of crashed workers (100 ms doubling to 10 s, reset after 30 s up). */
  readonly backoff?: RestartBackoffOptions;
  /** Default: the monotonic clock. */
  readonly clock?: Clock;
  /**
   * The primary's rate-limit lease bank (`LeaseServer` of `@weir/limits`): answers workers'
   * `weir:lease` and takes their `weir:lease-return`. Without one (or when it throws) a lease is
   * granted in full: rate limits fail open rather than refuse every request.
   */
  readonly leases?: LeaseBankPort;
}

/** What a successful apply reports. */
export interface FleetApplyResult {
  readonly version: string;
  /** Listeners as the workers bound them (same on every worker: the sockets are shared). */
  readonly listeners: readonly ListenerInfo[];
}
