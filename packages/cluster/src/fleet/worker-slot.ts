import type { RestartBackoff } from '../backoff/index';
import type { WorkerChannel } from './worker-channel';

/**
 * Lifecycle of one worker slot:
 *
 *     starting --hello--> syncing --committed snapshot (or none yet)--> ready
 *         |                  |                                            |
 *         +------------------+------------- exit -------------------------+--> backoff --timer--> starting
 *     (while draining, exit leads to stopped instead)
 */
export type WorkerState = 'starting' | 'syncing' | 'ready' | 'backoff' | 'stopped';

/** One of the N worker positions the fleet keeps filled. Mutable, owned by the fleet. */
export class WorkerSlot {
  readonly index: number;
  readonly backoff: RestartBackoff;
  state: WorkerState = 'starting';
  /** The running process, null between an exit and the restart. */
  channel: WorkerChannel | null = null;
  /** Pid of the running (or last) process; -1 before the first start. */
  pid = -1;
  /** Version this process serves; null until its first commit. */
  version: string | null = null;
  /** Restarts since the fleet started. */
  restarts = 0;
  /** Clock time the current process started. */
  startedAt = 0;
  /** Pending restart, while in `backoff`. */
  restartTimer: NodeJS.Timeout | null = null;
  /** False until the first process of this slot said hello or exited (for `Fleet.start`). */
  settledOnce = false;

  constructor(index: number, backoff: RestartBackoff) {
    this.index = index;
    this.backoff = backoff;
  }
}
