import type { Scheduler, SpanBatch, SpanRecord, SpanSink } from '@weir/tracing';
import { decodeSpanRecords } from '../../../../tools/jest/otlp-decode';

/** A seeded byte source for `RandomIds` (mulberry32): the same seed gives the same ids. */
export function seededFill(seed: number): (buf: Buffer) => void {
  let state = seed >>> 0;
  return (buf) => {
    for (let i = 0; i < buf.length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      buf[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
  };
}

/** A scheduler whose time moves only when the test calls `advance`. */
export class FakeScheduler implements Scheduler {
  private time = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = until;
  }
}

/** A sink that records batches and completes them only when the test says so. */
export class FakeSink implements SpanSink {
  readonly batches: SpanRecord[][] = [];
  /** Each batch's export request as it was handed over. */
  readonly bytes: Uint8Array[] = [];
  private readonly callbacks: ((ok: boolean, retryable?: boolean) => void)[] = [];
  shutdowns = 0;

  export(batch: SpanBatch, done: (ok: boolean, retryable?: boolean) => void): void {
    this.batches.push(decodeSpanRecords(batch.bytes));
    this.bytes.push(batch.bytes);
    this.callbacks.push(done);
  }

  /** Complete the oldest open batch. */
  complete(ok: boolean): void {
    const done = this.callbacks.shift();
    if (done === undefined) throw new Error('no batch in flight');
    done(ok, ok ? undefined : true);
  }

  get open(): number {
    return this.callbacks.length;
  }

  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}
