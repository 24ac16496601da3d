import type { HealthTimers, JwksTimers } from '@weir/controlplane';

/** Virtual-time timers: nothing fires until `advance()` moves the clock past its due time. */
export class ManualTimers implements HealthTimers, JwksTimers {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { due: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { due: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Delays of the timers still pending, from now, shortest first. */
  get delays(): number[] {
    return [...this.pending.values()].map((t) => t.due - this.now).sort((a, b) => a - b);
  }

  /** Moves time forward and fires every timer that is due, in due order. */
  advance(ms: number): void {
    this.now += ms;
    const due = [...this.pending.entries()].filter(([, t]) => t.due <= this.now).sort((a, b) => a[1].due - b[1].due);
    for (const [id, t] of due) {
      this.pending.delete(id);
      t.callback();
    }
  }
}
