import type { UpstreamStateReport, UpstreamStateResultMessage } from '../protocol/index';
import { WorkerRounds, type WorkerRef } from './worker-rounds';
import type { WorkerSlot } from './worker-slot';

/** One worker's answer to `Fleet.upstreamStates`. */
export interface WorkerUpstreamStates extends WorkerRef {
  /** The committed version the state belongs to (null before the worker's first commit). */
  readonly version: string | null;
  /** Its committed runtime's upstreams: breaker state, and per endpoint ejection and in-flight. */
  readonly upstreams: readonly UpstreamStateReport[];
}

/**
 * Upstream-state questions in flight (issue 17, admin `GET /admin/upstreams`): `weir:upstreams`
 * out, one `weir:upstreams-result` per worker back, until all answered, exited, or the timeout.
 * A worker that does not answer in time is left out (the admin API counts who answered).
 */
export class UpstreamRounds {
  private readonly rounds = new WorkerRounds<{ readonly version: string | null; readonly upstreams: readonly UpstreamStateReport[] }>();

  /** Send `weir:upstreams` to each target and gather the answers that arrive in time, by slot. */
  async ask(id: number, targets: readonly WorkerSlot[], timeoutMs: number): Promise<WorkerUpstreamStates[]> {
    const outcome = await this.rounds.open(id, targets, { type: 'weir:upstreams', id }, timeoutMs);
    return outcome.answers.map((a) => ({ index: a.index, pid: a.pid, version: a.value.version, upstreams: a.value.upstreams }));
  }

  /** Route a worker's answer to its round. */
  result(slot: WorkerSlot, message: UpstreamStateResultMessage): void {
    this.rounds.answer(slot, message.id, { version: message.version, upstreams: message.upstreams });
  }

  /** A worker exited: stop waiting for it. */
  exited(slot: WorkerSlot): void {
    this.rounds.exited(slot);
  }
}
