import { WeirError } from '@weir/errors';
import type { SpanRecord } from '../span-record/index';
import { realScheduler, type Scheduler } from './scheduler';
import type { SpanSink } from './span-sink';

/** Options of `SpanQueue`, checked once in the constructor. */
export interface SpanQueueOptions {
  /** Spans held while waiting; a span pushed into a full queue is dropped (`dropped.queueFull`). */
  readonly maxQueueSpans: number;
  /** Spans per export request; a batch is sent as soon as this many wait. ≤ maxQueueSpans. */
  readonly maxBatchSpans: number;
  /** A partial batch is sent this long after its first span started waiting. */
  readonly flushIntervalMs: number;
}

/** Spans that never reached the collector, by reason. Read at metrics scrape time. */
export interface SpanDrops {
  /** Pushed while `maxQueueSpans` were already waiting. */
  queueFull: number;
  /** In a batch the sink reported as failed (after the exporter's own retries). */
  exportFailed: number;
  /** Still waiting when `shutdown` gave up, or pushed after it began. */
  shutdown: number;
}

interface FlushWaiter {
  readonly target: number;
  readonly resolve: () => void;
}

/**
 * The bounded queue between the request path and the exporter, after the SDK's
 * BatchSpanProcessor but with Weir's rules: `push` is O(1), never throws and never waits, and a
 * full queue sheds the newest span and counts it rather than growing or slowing the proxy.
 *
 * ```
 *   ring (capacity maxQueueSpans)        push -> ring[(head + length) % capacity]
 *   [ . . s s s s s . . ]               send <- ring[head .. head + batch)
 *         ^head     ^head+length
 * ```
 *
 * A batch goes out when `maxBatchSpans` wait, or `flushIntervalMs` after the first span waited.
 * At most ONE export is in flight: spans arriving meanwhile wait in the ring, so a slow collector
 * costs queue space, never sockets or memory. A failed batch is counted and dropped (the exporter
 * already retried); the queue carries on with the next one.
 */
export class SpanQueue {
  private readonly ring: (SpanRecord | undefined)[];
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private head = 0;
  private length = 0;
  /** Spans of the batch in flight, 0 when none is. */
  private inFlight = 0;
  private timer: unknown = null;
  /** The flush timer fired while a batch was in flight: send as soon as it completes. */
  private due = false;
  private closed = false;
  /** Spans accepted into the ring since construction, and spans handed to the sink. */
  private accepted = 0;
  private sent = 0;
  /** Spans whose export finished (ok or not) or that were dropped at shutdown. */
  private settled = 0;
  private waiters: FlushWaiter[] = [];
  private exportedCount = 0;
  private readonly drops: SpanDrops = { queueFull: 0, exportFailed: 0, shutdown: 0 };
  /** The sink prepares spans as they are accepted (`SpanSink.prepare`). */
  private readonly prepare: boolean;
  /** Bound once here, so neither timers nor exports allocate a closure per batch. */
  private readonly onTimer = (): void => {
    this.timer = null;
    this.due = true;
    this.pump();
  };
  private readonly onDone = (ok: boolean): void => {
    const n = this.inFlight;
    if (n === 0) return; // a sink calling done twice
    this.inFlight = 0;
    if (ok) this.exportedCount += n;
    else this.drops.exportFailed += n;
    this.settled += n;
    this.pump();
  };

  constructor(
    private readonly sink: SpanSink,
    options: SpanQueueOptions,
    private readonly scheduler: Scheduler = realScheduler,
  ) {
    this.prepare = typeof sink.prepare === 'function';
    const { maxQueueSpans, maxBatchSpans, flushIntervalMs } = options;
    if (!Number.isInteger(maxQueueSpans) || maxQueueSpans < 1) {
      throw new WeirError('WEIR_ERR_CONFIG_INVALID', `maxQueueSpans must be a positive integer: ${maxQueueSpans}`);
    }
    if (!Number.isInteger(maxBatchSpans) || maxBatchSpans < 1 || maxBatchSpans > maxQueueSpans) {
      throw new WeirError('WEIR_ERR_CONFIG_INVALID', `maxBatchSpans must be an integer in 1..maxQueueSpans: ${maxBatchSpans}`);
    }
    if (!(flushIntervalMs >= 0) || !Number.isFinite(flushIntervalMs)) {
      throw new WeirError('WEIR_ERR_CONFIG_INVALID', `flushIntervalMs must be a non-negative number: ${flushIntervalMs}`);
    }
    this.capacity = maxQueueSpans;
    this.batchSize = maxBatchSpans;
    this.intervalMs = flushIntervalMs;
    this.ring = new Array<SpanRecord | undefined>(maxQueueSpans).fill(undefined);
  }

  /** Spans acknowledged by the collector. */
  get exported(): number {
    return this.exportedCount;
  }

  /** Spans dropped, by reason (a live view; do not write to it). */
  get dropped(): Readonly<SpanDrops> {
    return this.drops;
  }

  /** Spans waiting now (not counting the batch in flight). */
  get queued(): number {
    return this.length;
  }

  /** Enqueue a finished span. O(1); never throws, never waits. */
  push(span: SpanRecord): void {
    if (this.closed) {
      this.drops.shutdown++;
      return;
    }
    if (this.length === this.capacity) {
      this.drops.queueFull++;
      return;
    }
    let slot = this.head + this.length;
    if (slot >= this.capacity) slot -= this.capacity;
    if (this.prepare) this.sink.prepare!(span);
    this.ring[slot] = span;
    this.length++;
    this.accepted++;
    if (this.inFlight === 0 && this.length >= this.batchSize) this.send();
    else if (this.timer === null && !this.due) this.timer = this.scheduler.setTimer(this.onTimer, this.intervalMs);
  }

  /** Send everything accepted so far; resolves when those spans are exported or dropped. */
  flush(): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.pump();
    return done;
  }

  /**
   * Stop accepting spans, flush, then shut the sink, all within `timeoutMs`. Spans still waiting
   * when time runs out are counted in `dropped.shutdown`.
   */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let deadlineTimer: unknown = null;
    const deadline = new Promise<void>((resolve) => {
      deadlineTimer = this.scheduler.setTimer(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.flush(), deadline]);
      this.dropWaiting();
      await Promise.race([this.sink.shutdown().catch(() => undefined), deadline]);
    } finally {
      this.scheduler.clearTimer(deadlineTimer);
    }
  }

  /** Send a batch if one is due and none is in flight; settle flush waiters. */
  private pump(): void {
    if (this.waiters.length > 0) this.settleWaiters();
    if (this.inFlight !== 0 || this.length === 0) {
      if (this.length === 0) this.due = false;
      return;
    }
    const flushing = this.waiters.length > 0 && this.sent < this.maxTarget();
    if (this.length >= this.batchSize || this.due || flushing) this.send();
    else if (this.timer === null) this.timer = this.scheduler.setTimer(this.onTimer, this.intervalMs);
  }

  private send(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimer(this.timer);
      this.timer = null;
    }
    this.due = false;
    const n = this.length < this.batchSize ? this.length : this.batchSize;
    const batch = new Array<SpanRecord>(n);
    for (let i = 0; i < n; i++) {
      batch[i] = this.ring[this.head] as SpanRecord;
      this.ring[this.head] = undefined;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    }
    this.length -= n;
    this.sent += n;
    this.inFlight = n;
    // Spans left behind start a new interval now, so none waits more than an interval past
    // the export ahead of it.
    if (this.length > 0) this.timer = this.scheduler.setTimer(this.onTimer, this.intervalMs);
    try {
      this.sink.export(batch, this.onDone);
    } catch {
      this.onDone(false);
    }
  }

  private maxTarget(): number {
    let max = 0;
    for (let i = 0; i < this.waiters.length; i++) max = Math.max(max, (this.waiters[i] as FlushWaiter).target);
    return max;
  }

  private settleWaiters(): void {
    const pending: FlushWaiter[] = [];
    const ready: FlushWaiter[] = [];
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i] as FlushWaiter;
      (this.settled >= w.target ? ready : pending).push(w);
    }
    this.waiters = pending;
    for (let i = 0; i < ready.length; i++) (ready[i] as FlushWaiter).resolve();
  }

  /** Shutdown ran out of time: count what is still waiting and release flush callers. */
  private dropWaiting(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimer(this.timer);
      this.timer = null;
    }
    for (let i = 0; i < this.length; i++) {
      let slot = this.head + i;
      if (slot >= this.capacity) slot -= this.capacity;
      this.ring[slot] = undefined;
    }
    this.drops.shutdown += this.length;
    this.settled += this.length;
    this.length = 0;
    this.head = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (let i = 0; i < waiters.length; i++) (waiters[i] as FlushWaiter).resolve();
  }
}
