import type { Clock } from '../backoff/index';
import type { StatsResultMessage } from '../protocol/index';
import type { WorkerSlot, WorkerState } from './worker-slot';

/** One row of `Fleet.status()`. */
export interface WorkerStatus {
  /** Slot number, 0..workers-1; stable across restarts. */
  readonly index: number;
  /** Pid of the current (or, while restarting, the last) process; -1 if none yet. */
  readonly pid: number;
  readonly state: WorkerState;
  /** Version this process serves; null before its first commit. */
  readonly version: string | null;
  /** Restarts of this slot since the fleet started. */
  readonly restarts: number;
  /** How long the current process has run; 0 while none runs. */
  readonly uptimeMs: number;
}

/** One worker's answer to a stats request. */
export interface WorkerStats {
  /** Slot number, as in {@link WorkerStatus}: join the two on it. */
  readonly index: number;
  readonly pid: number;
  readonly version: string | null;
  readonly inFlight: number;
  /** The rollout candidate the worker holds, or null. */
  readonly candidateVersion: string | null;
  /** The candidate's share in percent, 0 without a rollout. */
  readonly candidatePercent: number;
}

interface Waiter {
  readonly predicate: () => boolean;
  readonly resolve: (met: boolean) => void;
  readonly timer: NodeJS.Timeout | null;
}

interface StatsRound {
  readonly id: number;
  readonly pending: Set<WorkerSlot>;
  readonly results: WorkerStats[];
  readonly finish: () => void;
}

/**
 * The fleet's observable state: status rows, waits on conditions over the slots (re-checked on
 * every change, no polling) and stats collection.
 */
export class StatusBoard {
  private readonly slots: readonly WorkerSlot[];
  private readonly clock: Clock;
  private waiters: Waiter[] = [];
  private statsRounds: StatsRound[] = [];

  constructor(slots: readonly WorkerSlot[], clock: Clock) {
    this.slots = slots;
    this.clock = clock;
  }

  status(): WorkerStatus[] {
    const now = this.clock.now();
    return this.slots.map((s) => ({
      index: s.index,
      pid: s.pid,
      state: s.state,
      version: s.version,
      restarts: s.restarts,
      uptimeMs: s.channel === null ? 0 : Math.max(0, Math.round(now - s.startedAt)),
    }));
  }

  /**
   * Resolves true as soon as `predicate()` holds (checked now and after every `changed()`), or
   * false after `timeoutMs` (default: no timeout).
   */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        timer:
          timeoutMs === undefined
            ? null
            : setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w !== waiter);
                resolve(false);
              }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Slot state changed: settle the waits whose condition now holds. */
  changed(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    const met: Waiter[] = [];
    for (let i = 0; i < this.waiters.length; i++) {
      const waiter = this.waiters[i] as Waiter;
      (waiter.predicate() ? met : still).push(waiter);
    }
    this.waiters = still;
    for (let i = 0; i < met.length; i++) {
      const waiter = met[i] as Waiter;
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }

  /** Send a stats request to every ready worker and gather the answers that arrive in time. */
  collectStats(id: number, timeoutMs: number): Promise<WorkerStats[]> {
    const targets = this.slots.filter((s) => s.state === 'ready' && s.channel !== null);
    return new Promise((resolve) => {
      const results: WorkerStats[] = [];
      const timer = setTimeout(() => round.finish(), timeoutMs);
      const round: StatsRound = {
        id,
        pending: new Set(targets),
        results,
        finish: () => {
          clearTimeout(timer);
          this.statsRounds = this.statsRounds.filter((r) => r !== round);
          resolve(results);
        },
      };
      if (targets.length === 0) {
        round.finish();
        return;
      }
      this.statsRounds.push(round);
      for (let i = 0; i < targets.length; i++) targets[i]?.channel?.send({ type: 'weir:stats', id });
    });
  }

  /** Route a worker's stats answer to its round. */
  statsResult(slot: WorkerSlot, message: StatsResultMessage): void {
    const round = this.statsRounds.find((r) => r.id === message.id);
    if (round === undefined || !round.pending.delete(slot)) return;
    round.results.push({
      index: slot.index,
      pid: slot.pid,
      version: message.version,
      inFlight: message.inFlight,
      candidateVersion: message.candidateVersion ?? null,
      candidatePercent: message.candidatePercent ?? 0,
    });
    if (round.pending.size === 0) round.finish();
  }
}
