import type { PrimaryMessage } from '../protocol/index';
import type { WorkerSlot } from './worker-slot';

/** A worker process, by slot number and pid. */
export interface WorkerRef {
  /** Slot number: stable across restarts of the process in it. */
  readonly index: number;
  readonly pid: number;
}

/** One worker's answer in a round. */
export interface WorkerAnswer<T> extends WorkerRef {
  readonly value: T;
}

/** How a round ended. Each list is sorted by slot. */
export interface RoundOutcome<T> {
  readonly answers: readonly WorkerAnswer<T>[];
  /** Workers asked that did not answer within the timeout. */
  readonly missing: readonly WorkerRef[];
  /** Workers that exited before answering. */
  readonly exited: readonly WorkerRef[];
}

interface Round<T> {
  readonly id: number;
  /** Slot -> pid the message went to; an answer from another process of the slot is ignored. */
  readonly pending: Map<WorkerSlot, number>;
  readonly answers: WorkerAnswer<T>[];
  readonly exited: WorkerRef[];
  readonly finish: () => void;
}

const bySlot = (a: WorkerRef, b: WorkerRef): number => a.index - b.index;

/**
 * Broadcasts that wait for one answer per worker (metrics scrapes, cache purges): one round per
 * call, each waiting until every worker it asked answered or exited, or the timeout. Rounds may
 * overlap (two scrapers, two operators); answers are routed by round id, and only the process
 * a round asked may answer for its slot.
 */
export class WorkerRounds<T> {
  private rounds: Round<T>[] = [];

  /** Sends `message` (carrying `id`) to each target and gathers the answers that arrive in time. */
  open(id: number, targets: readonly WorkerSlot[], message: PrimaryMessage, timeoutMs: number): Promise<RoundOutcome<T>> {
    return new Promise((resolve) => {
      const pending = new Map<WorkerSlot, number>();
      for (let i = 0; i < targets.length; i++) pending.set(targets[i] as WorkerSlot, (targets[i] as WorkerSlot).pid);
      const timer = setTimeout(() => round.finish(), timeoutMs);
      const round: Round<T> = {
        id,
        pending,
        answers: [],
        exited: [],
        finish: () => {
          clearTimeout(timer);
          this.rounds = this.rounds.filter((r) => r !== round);
          const missing: WorkerRef[] = [];
          for (const [slot, pid] of round.pending) missing.push({ index: slot.index, pid });
          resolve({ answers: round.answers.sort(bySlot), missing: missing.sort(bySlot), exited: round.exited.sort(bySlot) });
        },
      };
      if (pending.size === 0) {
        round.finish();
        return;
      }
      this.rounds.push(round);
      for (const slot of pending.keys()) slot.channel?.send(message);
    });
  }

  /** Routes a worker's answer to its round. */
  answer(slot: WorkerSlot, id: number, value: T): void {
    const round = this.rounds.find((r) => r.id === id);
    if (round === undefined) return;
    const pid = round.pending.get(slot);
    if (pid === undefined || pid !== slot.pid) return;
    round.pending.delete(slot);
    round.answers.push({ index: slot.index, pid, value });
    if (round.pending.size === 0) round.finish();
  }

  /** A worker exited: stop waiting for it. */
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
