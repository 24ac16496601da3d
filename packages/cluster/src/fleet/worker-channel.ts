import type { PrimaryMessage } from '../protocol/index';

/** What the fleet hears from one worker process. */
export interface WorkerEvents {
  /** Any message the worker sent (unvalidated: the fleet checks it with `isWorkerMessage`). */
  message(message: unknown): void;
  /** The process ended: its exit code, or the signal that killed it. Called once. */
  exit(code: number | null, signal: string | null): void;
}

/** The primary's handle on one worker process. */
export interface WorkerChannel {
  readonly pid: number;
  /** Send a message; a closed channel drops it (the exit event follows). */
  send(message: PrimaryMessage): void;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Start one worker process for slot `index` and wire its events. The real one forks a cluster
 * worker (`createClusterSpawner`); tests pass one that wires an in-process `WorkerAgent`, so the
 * fleet's state machine runs without forking.
 */
export type SpawnWorker = (index: number, events: WorkerEvents) => WorkerChannel;
