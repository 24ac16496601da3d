import type { CachePurgeMessage, CachePurgeTarget, CachePurgedMessage } from '../protocol/index';
import type { WorkerSlot } from './worker-slot';

/** A worker process, by slot number and pid. */
export interface WorkerRef {
  /** Slot number: stable across restarts of the process in it. */
  readonly index: number;
  readonly pid: number;
}

/** One worker's acknowledgement of a cache purge. */
export interface WorkerPurgeCount extends WorkerRef {
  /** Entries this worker removed (0 when it holds none, or its data plane failed to purge). */
  readonly purged: number;
}

/** What `Fleet.purgeCache` reports. Each list is sorted by slot. */
export interface CachePurgeResult {
  /** Workers that acknowledged, with what each removed. */
  readonly workers: readonly WorkerPurgeCount[];
  /**
   * Workers asked that did not acknowledge within the timeout: the entries may still be in
   * their caches (the purge is partial). Empty when the purge reached every worker.
   */
  readonly missing: readonly WorkerRef[];
  /**
   * Workers that exited before acknowledging. Their caches live in their memory and went with
   * them (a restarted worker starts empty), so they hold nothing to purge.
   */
  readonly exited: readonly WorkerRef[];
}

interface Round {
  readonly id: number;
  /** Slot -> pid the request went to; a reply from another process of the slot is ignored. */
  readonly pending: Map<WorkerSlot, number>;
  readonly workers: WorkerPurgeCount[];
  readonly exited: WorkerRef[];
  readonly finish: () => void;
}

const bySlot = (a: WorkerRef, b: WorkerRef): number => a.index - b.index;

/**
 * Cache purges in flight (issue 10), after {@link MetricsRounds}: one round per `purgeCache`
 * call, each waiting for one `weir:cache-purged` per worker it asked, until all answered,
 * exited, or the timeout. Rounds may overlap (two operators); answers are routed by round id.
 */
export class PurgeRounds {
  private rounds: Round[] = [];

  /** Send `weir:cache-purge` to each target and gather the acknowledgements that arrive in time. */
  purge(id: number, targets: readonly WorkerSlot[], route: string, target: CachePurgeTarget, timeoutMs: number): Promise<CachePurgeResult> {
    return new Promise((resolve) => {
      const pending = new Map<WorkerSlot, number>();
      for (let i = 0; i < targets.length; i++) pending.set(targets[i] as WorkerSlot, (targets[i] as WorkerSlot).pid);
      const timer = setTimeout(() => round.finish(), timeoutMs);
      const round: Round = {
        id,
        pending,
        workers: [],
        exited: [],
        finish: () => {
          clearTimeout(timer);
          this.rounds = this.rounds.filter((r) => r !== round);
          const missing: WorkerRef[] = [];
          for (const [slot, pid] of round.pending) missing.push({ index: slot.index, pid });
          resolve({ workers: round.workers.sort(bySlot), missing: missing.sort(bySlot), exited: round.exited.sort(bySlot) });
        },
      };
      if (pending.size === 0) {
        round.finish();
        return;
      }
      this.rounds.push(round);
      const message: CachePurgeMessage = 'key' in target ? { type: 'weir:cache-purge', id, route, key: target.key } : { type: 'weir:cache-purge', id, route, prefix: target.prefix };
      for (const slot of pending.keys()) slot.channel?.send(message);
    });
  }

  /** Route a worker's acknowledgement to its round. */
  result(slot: WorkerSlot, message: CachePurgedMessage): void {
    const round = this.rounds.find((r) => r.id === message.id);
    if (round === undefined) return;
    const pid = round.pending.get(slot);
    if (pid === undefined || pid !== slot.pid) return;
    round.pending.delete(slot);
    round.workers.push({ index: slot.index, pid, purged: message.purged });
    if (round.pending.size === 0) round.finish();
  }

  /** A worker exited: stop waiting for it (its cache went with it). */
  exited(slot: WorkerSlot): void {
    for (const round of [...this.rounds]) {
      const pid = round.pending.get(slot);
      if (pid === undefined) continue;
      round.pending.delete(slot);
      round.exited.push({ index: slot.index, pid });
      if (round.pending.size === 0) round.finish();
    }
  }
}
