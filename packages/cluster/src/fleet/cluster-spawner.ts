import { randomBytes } from 'node:crypto';
import cluster from 'node:cluster';
import { TLS_TICKET_SECRET_ENV, type PrimaryMessage } from '../protocol/index';
import type { SpawnWorker, WorkerChannel, WorkerEvents } from './worker-channel';

/** How workers share a listening socket. */
export type SchedulingPolicy = 'none' | 'rr';

/**
 * The scheduling policy to use: `none` unless `WEIR_CLUSTER_SCHED=rr`.
 *
 * Why `none` (SCHED_NONE: every worker accepts from the shared socket itself) and not node's
 * default round-robin (the primary accepts and hands each connection to a worker):
 * measured on a 2-core machine with wrk, 2 workers and nginx upstream (DESIGN.md section 3),
 * round-robin gave every Node proxy a p99 of 1.4-2.4 s at 400 connections, because the primary
 * queues accepted connections behind busy workers; with SCHED_NONE the p99 fell to ~100 ms with
 * no loss of throughput at 50 connections. The primary also stays off the accept path, which
 * keeps it responsive for the control plane. The kernel may spread connections less evenly
 * across workers under SCHED_NONE; `WEIR_CLUSTER_SCHED=rr` restores round-robin for whoever
 * measures that to matter on their machine.
 */
export function resolveSchedulingPolicy(env: NodeJS.ProcessEnv): SchedulingPolicy {
  return env['WEIR_CLUSTER_SCHED'] === 'rr' ? 'rr' : 'none';
}

/** Options of {@link createClusterSpawner}. */
export interface ClusterSpawnerOptions {
  /** Script each worker runs (compiled JavaScript). */
  readonly exec: string;
  /** Arguments of the worker script. Default: none (workers get everything over IPC). */
  readonly args?: readonly string[];
  /** Extra environment of every worker, on top of the primary's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default: {@link resolveSchedulingPolicy} of `process.env`. */
  readonly scheduling?: SchedulingPolicy;
}

function ignoreSendError(): void {
  // The worker is gone; its 'exit' event follows and the fleet handles it there.
}

/**
 * A spawner that forks node:cluster workers. It configures node:cluster once for the whole
 * process: the scheduling policy is frozen by node at the first `setupPrimary`, so it is set
 * just before. `serialization: 'advanced'` lets the spec bytes cross as a Uint8Array instead of
 * a JSON array of numbers or base64.
 */
export function createClusterSpawner(options: ClusterSpawnerOptions): SpawnWorker {
  const policy = options.scheduling ?? resolveSchedulingPolicy(process.env);
  cluster.schedulingPolicy = policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: options.exec, args: [...(options.args ?? [])], serialization: 'advanced' });
  const extraEnv: Record<string, string> = { ...options.env };
  // One secret per primary for every worker's TLS session-ticket keys (see `worker-env.ts`).
  extraEnv[TLS_TICKET_SECRET_ENV] ??= process.env[TLS_TICKET_SECRET_ENV] ?? randomBytes(32).toString('hex');

  return (index: number, events: WorkerEvents): WorkerChannel => {
    const worker = cluster.fork({ ...extraEnv, WEIR_WORKER_INDEX: String(index) });
    worker.on('message', (message: unknown) => events.message(message));
    worker.on('exit', (code: number | null, signal: string | null) => events.exit(code, signal));
    // IPC errors (EPIPE while the worker dies) are always followed by 'exit'.
    worker.on('error', ignoreSendError);
    return {
      pid: worker.process.pid ?? -1,
      send(message: PrimaryMessage): void {
        if (worker.isConnected()) worker.send(message, undefined, ignoreSendError);
      },
      kill(signal: NodeJS.Signals): void {
        if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill(signal);
      },
    };
  };
}
