import type { MetricsResultMessage } from '../protocol/index';
import type { WorkerSlot } from './worker-slot';

/** One worker's answer to `Fleet.collectMetrics`. */
export interface WorkerMetricsSample {
  /** Slot number: stable across restarts of the process in it. */
  readonly index: number;
  /** The process that answered. */
  readonly pid: number;
  /** Its metric families (prom-client `getMetricsAsJSON()`), unchecked. */
  readonly metrics: readonly unknown[];
}

interface Round {
  readonly id: number;
  /** Slot -> pid the request went to; a reply from another process of the slot is ignored. */
  readonly pending: Map<WorkerSlot, number>;
  readonly results: WorkerMetricsSample[];
  readonly finish: () => void;
}

/**
 * Metrics scrapes in flight: one round per `collectMetrics` call, each waiting for one answer
 * per worker it asked, until all answered, exited, or the timeout. Several rounds may overlap
 * (two scrapers); replies are routed by round id.
 */
export class MetricsRounds {
  private rounds: Round[] = [];

  /** Send `weir:metrics` to each target and gather the answers that arrive in time. */
  collect(id: number, targets: readonly WorkerSlot[], timeoutMs: number): Promise<WorkerMetricsSample[]> {
    return new Promise((resolve) => {
      const results: WorkerMetricsSample[] = [];
      const pending = new Map<WorkerSlot, number>();
      for (let i = 0; i < targets.length; i++) pending.set(targets[i] as WorkerSlot, (targets[i] as WorkerSlot).pid);
      const timer = setTimeout(() => round.finish(), timeoutMs);
      const round: Round = {
        id,
        pending,
        results,
        finish: () => {
          clearTimeout(timer);
          this.rounds = this.rounds.filter((r) => r !== round);
          resolve(results);
        },
      };
      if (pending.size === 0) {
        round.finish();
        return;
      }
      this.rounds.push(round);
      for (const slot of pending.keys()) slot.channel?.send({ type: 'weir:metrics', id });
    });
  }

  /** Route a worker's answer to its round. */
  result(slot: WorkerSlot, message: MetricsResultMessage): void {
    const round = this.rounds.find((r) => r.id === message.id);
    if (round === undefined) return;
    const pid = round.pending.get(slot);
    if (pid === undefined || pid !== slot.pid) return;
    round.pending.delete(slot);
    round.results.push({ index: slot.index, pid, metrics: message.metrics });
    if (round.pending.size === 0) round.finish();
  }

  /** A worker exited: stop waiting for it (the scrape then uses its last known values). */
  exited(slot: WorkerSlot): void {
    for (const round of [...this.rounds]) {
      if (round.pending.delete(slot) && round.pending.size === 0) round.finish();
    }
  }
}
