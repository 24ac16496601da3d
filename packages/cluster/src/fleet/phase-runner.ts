import type { AckMessage, CommittedMessage, PrimaryMessage, WorkerMessage } from '../protocol/index';
import { PhaseWait, type PhaseResult } from './phase-wait';
import type { WorkerSlot } from './worker-slot';

/**
 * The primary's side of the two phases of one apply round (a fleet apply, or one worker's
 * sync; `Fleet` runs one at a time): send, then wait for every target's reply (`PhaseWait`).
 * The phase in progress receives the workers' acks and exits; `onIdle` runs when a phase ends
 * (the watchdog gives workers that were busy with it a fresh clock).
 */
export class PhaseRunner {
  private wait: PhaseWait<'weir:ack'> | PhaseWait<'weir:committed'> | null = null;

  constructor(private readonly onIdle: () => void) {}

  /** A phase is in progress. */
  get busy(): boolean {
    return this.wait !== null;
  }

  /** A worker's reply that no other handler took (acks and commit confirmations). */
  deliver(slot: WorkerSlot, message: WorkerMessage): void {
    this.wait?.deliver(slot, message);
  }

  exited(slot: WorkerSlot, code: number | null, signal: string | null): void {
    this.wait?.exited(slot, code, signal);
  }

  /** Send `prepare` (round `id`) to every target; resolve once all acked, one refused or exited, or the timeout. */
  prepare(id: number, targets: readonly WorkerSlot[], prepare: PrimaryMessage, timeoutMs: number): Promise<PhaseResult<AckMessage>> {
    return this.run(new PhaseWait(id, 'weir:ack', targets, timeoutMs), targets, prepare);
  }

  /** Send `commit` (round `id`) to every target; resolve once all confirmed or exited, or the timeout. */
  commit(id: number, targets: readonly WorkerSlot[], timeoutMs: number): Promise<PhaseResult<CommittedMessage>> {
    return this.run(new PhaseWait(id, 'weir:committed', targets, timeoutMs), targets, { type: 'weir:commit', id });
  }

  private async run<P extends PhaseWait<'weir:ack'> | PhaseWait<'weir:committed'>>(phase: P, targets: readonly WorkerSlot[], message: PrimaryMessage): Promise<Awaited<P['done']>> {
    this.wait = phase;
    try {
      for (let i = 0; i < targets.length; i++) targets[i]?.channel?.send(message);
      return (await phase.done) as Awaited<P['done']>;
    } finally {
      this.wait = null;
      this.onIdle();
    }
  }
}
