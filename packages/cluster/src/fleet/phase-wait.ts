import type { ErrorJSON } from '@weir/errors';
import type { AckMessage, CommittedMessage, WorkerMessage } from '../protocol/index';
import type { WorkerSlot } from './worker-slot';

/** Why a prepare phase failed. */
export type PhaseFailure =
  | { readonly kind: 'nack'; readonly pid: number; readonly error: ErrorJSON }
  | { readonly kind: 'exit'; readonly pid: number; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'timeout'; readonly pids: readonly number[] };

/** Outcome of one phase. */
export interface PhaseResult<R> {
  /** The first failure, or null when every slot replied (or, in commit, replied or exited). */
  readonly failure: PhaseFailure | null;
  readonly replies: ReadonlyMap<WorkerSlot, R>;
  /** Slots that had not replied when the phase ended. */
  readonly pending: readonly WorkerSlot[];
}

type Expect = 'weir:ack' | 'weir:committed';
type Reply<E extends Expect> = E extends 'weir:ack' ? AckMessage : CommittedMessage;

/**
 * Waits for one reply per slot in round `id`, for at most `timeoutMs`.
 *
 * In the prepare phase (`weir:ack`) the first nack, exit or the timeout ends the phase: one
 * refusal is enough to abort everywhere. In the commit phase (`weir:committed`) nothing can be
 * undone, so an exit only stops the wait for that slot (supervision restarts it on the new
 * snapshot) and only the timeout ends the phase early.
 */
export class PhaseWait<E extends Expect> {
  readonly id: number;
  readonly done: Promise<PhaseResult<Reply<E>>>;
  private readonly expect: E;
  private readonly pending: Set<WorkerSlot>;
  private readonly pids = new Map<WorkerSlot, number>();
  private readonly replies = new Map<WorkerSlot, Reply<E>>();
  private readonly timer: NodeJS.Timeout | null;
  private settle: ((result: PhaseResult<Reply<E>>) => void) | null = null;

  constructor(id: number, expect: E, slots: readonly WorkerSlot[], timeoutMs: number) {
    this.id = id;
    this.expect = expect;
    this.pending = new Set(slots);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as WorkerSlot;
      this.pids.set(slot, slot.pid);
    }
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.timer = slots.length === 0 ? null : setTimeout(() => this.onTimeout(), timeoutMs);
    if (slots.length === 0) this.finish(null);
  }

  /** True while the phase still waits. */
  get open(): boolean {
    return this.settle !== null;
  }

  /** Route a worker's reply; replies for another round or from outside the phase are ignored. */
  deliver(slot: WorkerSlot, message: WorkerMessage): void {
    if (this.settle === null || !this.pending.has(slot)) return;
    if (!('id' in message) || message.id !== this.id) return;
    if (message.type === this.expect) {
      this.pending.delete(slot);
      this.replies.set(slot, message as Reply<E>);
      if (this.pending.size === 0) this.finish(null);
    } else if (message.type === 'weir:nack') {
      this.pending.delete(slot);
      this.finish({ kind: 'nack', pid: this.pidOf(slot), error: message.error });
    }
  }

  /** The slot's process exited. */
  exited(slot: WorkerSlot, code: number | null, signal: string | null): void {
    if (this.settle === null || !this.pending.has(slot)) return;
    this.pending.delete(slot);
    if (this.expect === 'weir:ack') this.finish({ kind: 'exit', pid: this.pidOf(slot), code, signal });
    else if (this.pending.size === 0) this.finish(null);
  }

  private onTimeout(): void {
    const pids: number[] = [];
    for (const slot of this.pending) pids.push(this.pidOf(slot));
    this.finish({ kind: 'timeout', pids });
  }

  private pidOf(slot: WorkerSlot): number {
    return this.pids.get(slot) ?? slot.pid;
  }

  private finish(failure: PhaseFailure | null): void {
    const settle = this.settle;
    if (settle === null) return;
    this.settle = null;
    if (this.timer !== null) clearTimeout(this.timer);
    settle({ failure, replies: this.replies, pending: [...this.pending] });
  }
}
