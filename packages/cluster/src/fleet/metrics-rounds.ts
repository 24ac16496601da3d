import type { MetricsResultMessage } from '../protocol/index';
import { WorkerRounds } from './worker-rounds';
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

/**
 * Metrics scrapes in flight: `weir:metrics` out, one `weir:metrics-result` per worker back, until
 * all answered, exited, or the timeout (a worker that did not answer keeps its last known
 * values in the aggregate).
 */
export class MetricsRounds {
  private readonly rounds = new WorkerRounds<readonly unknown[]>();

  /** Send `weir:metrics` to each target and gather the answers that arrive in time. */
  async collect(id: number, targets: readonly WorkerSlot[], timeoutMs: number): Promise<WorkerMetricsSample[]> {
    const outcome = await this.rounds.open(id, targets, { type: 'weir:metrics', id }, timeoutMs);
    return outcome.answers.map((a) => ({ index: a.index, pid: a.pid, metrics: a.value }));
  }

  /** Route a worker's answer to its round. */
  result(slot: WorkerSlot, message: MetricsResultMessage): void {
    this.rounds.answer(slot, message.id, message.metrics);
  }

  /** A worker exited: stop waiting for it (the scrape then uses its last known values). */
  exited(slot: WorkerSlot): void {
    this.rounds.exited(slot);
  }
}
