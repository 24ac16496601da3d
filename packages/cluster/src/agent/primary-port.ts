import { WeirError } from '@weir/errors';
import type { WorkerMessage } from '../protocol/index';

/**
 * The worker's end of the IPC channel. `WorkerAgent` talks through this narrow interface so its
 * state machine is tested with an in-memory port, without forking.
 */
export interface PrimaryPort {
  /** Send a message; a closed channel drops it (the primary is gone and the worker will exit). */
  send(message: WorkerMessage): void;
  /** Register the handler of every incoming message (unvalidated). */
  onMessage(handler: (message: unknown) => void): void;
}

function ignoreSendError(): void {
  // The channel closed: node:cluster exits a worker whose primary disconnected, so there is
  // nobody left to tell.
}

/** The port of a process forked with an IPC channel (a cluster worker). */
export function processPort(): PrimaryPort {
  if (typeof process.send !== 'function') {
    throw new WeirError('WEIR_ERR_INTERNAL', 'this process has no IPC channel: it was not started by a Weir primary');
  }
  return {
    send(message: WorkerMessage): void {
      if (process.connected) process.send?.(message, undefined, undefined, ignoreSendError);
    },
    onMessage(handler: (message: unknown) => void): void {
      process.on('message', handler);
    },
  };
}
