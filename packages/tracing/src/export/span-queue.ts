import { WeirError } from '@weir/errors';
import type { SpanRecord } from '../span-record/index';
import { encodeSpanRecord } from './otlp-encoder';
import { SpanWriter } from './span-writer';
import { realScheduler, type Scheduler } from './scheduler';
import { SpanGroup } from './span-group';
import type { SpanBatch, SpanSink } from './span-sink';

/** Writers of exported batches kept for the next ones. */
const SPARE_WRITERS = 2;

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
 * BatchSpanProcessor but with Weir's rules: writing a span is O(1), never throws and never
 * waits, and a full queue sheds the newest spans and counts them rather than growing or slowing
 * the proxy.
 *
 * Spans are queued as bytes, not objects: `open` hands out the writer of the batch being filled,
 * the caller writes its spans there (`SpanWriter`), `commit` counts them. A full batch (or one
 * `flushIntervalMs` old) is closed into one OTLP export request (`SpanGroup` writes the resource
 * and scope into room left before the spans, so nothing is copied) and waits in `sealed`.
 *
 * ```
 *   open/commit -> [ room | spans of one group ] --seal--> sealed [b1, b2 ...] --send--> sink
 *                   (a buffer per batch)                     (one request each)   (one in flight)
 * ```
 *
 * At most ONE export is in flight: batches closed meanwhile wait, so a slow collector costs
 * queue space (`maxQueueSpans` spans in all, filling and sealed), never sockets or memory. A
 * failed batch is counted and dropped (the exporter already retried); the queue carries on with
 * the next one.
 */
export class SpanQueue {
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  /**
   * The batch being filled: its writer (a new buffer per batch, its first `room` bytes left for
   * the request's head), how many spans, and the group they belong to.
   */
  private writer: SpanWriter | null = null;
  private room = 0;
  private filling = 0;
  private group: SpanGroup | null = null;
  /** Spans `open` accepted and the caller is writing (0 between `commit` and the next `open`). */
  private opened = 0;
  /** Closed batches waiting to be sent, oldest first, with the writers holding their bytes. */
  private sealed: { readonly batch: SpanBatch; readonly writer: SpanWriter }[] = [];
  /** The writer of the batch in flight, and writers whose batch was exported, kept for reuse. */
  private inFlightWriter: SpanWriter | null = null;
  private readonly spare: SpanWriter[] = [];
  /** Spans waiting: the filling batch's and the sealed ones'. */
  private length = 0;
  /** Spans of the batch in flight, 0 when none is. */
  private inFlight = 0;
  private timer: unknown = null;
  /** The flush timer fired while a batch was in flight: send as soon as it completes. */
  private due = false;
  private closed = false;
  /** Spans accepted since construction, and spans handed to the sink. */
  private accepted = 0;
  private sent = 0;
  /** Spans whose export finished (ok or not) or that were dropped at shutdown. */
  private settled = 0;
  private waiters: FlushWaiter[] = [];
  private exportedCount = 0;
  private readonly drops: SpanDrops = { queueFull: 0, exportFailed: 0, shutdown: 0 };
  /** The group of the last record `push`ed, reused while records share resource and scope. */
  private recordGroup: SpanGroup | null = null;
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
    this.recycle();
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

  /**
   * Make room for `spans` spans of `group` and return the writer to write them into (then call
   * `commit`), or null when they are dropped (queue full, or shut down; counted). The spans of
   * one `open` stay in one batch.
   */
  open(group: SpanGroup, spans: number): SpanWriter | null {
    if (this.closed) {
      this.drops.shutdown += spans;
      return null;
    }
    if (this.length + spans > this.capacity) {
      this.drops.queueFull += spans;
      return null;
    }
    if (this.filling > 0 && (group !== this.group || this.filling + spans > this.batchSize)) this.seal();
    let w = this.writer;
    if (w === null) {
      // A span takes about 350 bytes: start near a full batch, grow if needed. An exported
      // batch's buffer is reused: new ones would be external memory V8 counts toward its next
      // full garbage collection, 10+ MiB a second at full sampling.
      w = this.writer = this.spare.pop() ?? new SpanWriter(Math.min(this.batchSize * 384, 1 << 20) + group.headRoom());
      w.reset();
      this.room = group.headRoom();
      w.skip(this.room);
    }
    this.group = group;
    this.opened = spans;
    return w;
  }

  /** The spans of the last `open` are written: count them, close a full batch, send or wait. */
  commit(): void {
    const n = this.opened;
    this.opened = 0;
    this.filling += n;
    this.length += n;
    this.accepted += n;
    if (this.filling >= this.batchSize) this.seal();
    if (this.inFlight === 0 && this.sealed.length > 0) this.send();
    else if (this.timer === null && !this.due && this.length > 0) this.timer = this.scheduler.setTimer(this.onTimer, this.intervalMs);
  }

  /** Enqueue a finished record (the control plane's spans): `open`, encode, `commit`. */
  push(span: SpanRecord): void {
    let group = this.recordGroup;
    if (group === null || group.resource !== span.resource || group.scope !== span.instrumentationScope) {
      group = this.recordGroup = new SpanGroup(span.resource, span.instrumentationScope);
    }
    const w = this.open(group, 1);
    if (w === null) return;
    encodeSpanRecord(w, span);
    this.commit();
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
    if (this.sealed.length === 0 && (this.due || flushing)) this.seal();
    if (this.sealed.length > 0) this.send();
    else if (this.timer === null) this.timer = this.scheduler.setTimer(this.onTimer, this.intervalMs);
  }

  /** Close the filling batch into an export request: its head goes in the room left for it. */
  private seal(): void {
    const n = this.filling;
    const w = this.writer;
    if (n === 0 || w === null) return;
    const group = this.group as SpanGroup;
    this.sealed.push({ batch: { spans: n, bytes: w.frame(this.room, group.head(w.length - this.room)) }, writer: w });
    this.writer = null;
    this.filling = 0;
  }

  private send(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimer(this.timer);
      this.timer = null;
    }
    this.due = false;
    const { batch, writer } = this.sealed.shift()!;
    this.inFlightWriter = writer;
    const n = batch.spans;
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

  /** The batch in flight is done: its writer may take the next batch (at most two are kept). */
  private recycle(): void {
    const w = this.inFlightWriter;
    this.inFlightWriter = null;
    if (w !== null && this.spare.length < SPARE_WRITERS) this.spare.push(w);
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
    this.sealed = [];
    this.writer = null;
    this.filling = 0;
    this.drops.shutdown += this.length;
    this.settled += this.length;
    this.length = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (let i = 0; i < waiters.length; i++) (waiters[i] as FlushWaiter).resolve();
  }
}
