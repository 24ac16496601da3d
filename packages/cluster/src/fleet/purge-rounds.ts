import type { CachePurgeMessage, CachePurgeTarget, CachePurgedMessage } from '../protocol/index';
import { WorkerRounds, type WorkerRef } from './worker-rounds';
import type { WorkerSlot } from './worker-slot';

export type { WorkerRef } from './worker-rounds';

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

/** Cache purges in flight (issue 10): `weir:cache-purge` out, one `weir:cache-purged` per worker back. */
export class PurgeRounds {
  private readonly rounds = new WorkerRounds<number>();

  /** Send `weir:cache-purge` to each target and gather the acknowledgements that arrive in time. */
  async purge(id: number, targets: readonly WorkerSlot[], route: string, target: CachePurgeTarget, timeoutMs: number): Promise<CachePurgeResult> {
    const message: CachePurgeMessage = 'key' in target ? { type: 'weir:cache-purge', id, route, key: target.key } : { type: 'weir:cache-purge', id, route, prefix: target.prefix };
    const outcome = await this.rounds.open(id, targets, message, timeoutMs);
    return { workers: outcome.answers.map((a) => ({ index: a.index, pid: a.pid, purged: a.value })), missing: outcome.missing, exited: outcome.exited };
  }

  /** Route a worker's acknowledgement to its round. */
  result(slot: WorkerSlot, message: CachePurgedMessage): void {
    this.rounds.answer(slot, message.id, message.purged);
  }

  /** A worker exited: stop waiting for it (its cache went with it). */
  exited(slot: WorkerSlot): void {
    this.rounds.exited(slot);
  }
}
