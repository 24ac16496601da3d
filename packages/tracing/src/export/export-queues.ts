import { SpanQueue } from './span-queue';
import type { Scheduler } from './scheduler';
import { realScheduler } from './scheduler';
import type { SpanSink } from './span-sink';
import { createOtlpSink } from './otlp-sink';

/** The export settings of a queue (the spec's `tracing.export`, structurally). */
export interface ExportSettings {
  /** The full OTLP/HTTP traces URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxQueueSpans: number;
  readonly maxBatchSpans: number;
  readonly flushIntervalMs: number;
}

/** Spans exported and dropped by every queue a process has had (metrics, read at scrape). */
export interface ExportReadings {
  readonly exported: number;
  readonly queueFull: number;
  readonly exportFailed: number;
  readonly shutdown: number;
  /** Spans waiting now. */
  readonly queued: number;
}

/** Makes the sink of an export setting; tests inject one. */
export type SinkFactory = (settings: ExportSettings) => SpanSink;

/** The OTLP/HTTP sink of `settings`. */
export function otlpSinkFor(settings: ExportSettings): SpanSink {
  return createOtlpSink({ url: settings.url, headers: { ...settings.headers }, timeoutMs: settings.timeoutMs });
}

/** How long a replaced queue may take to send what it holds before its spans count as dropped. */
const REPLACED_QUEUE_GRACE_MS = 5_000;

/**
 * The span queues of one process, one per distinct export setting, kept across config versions
 * (issue 18): the worker's runtimes and the primary's tracer ask for the queue of their
 * setting; an apply that changes routes keeps the queue (no span dropped or sent twice), and a
 * queue no longer in use (`prune`) is flushed and shut down in the background, within 5 s.
 * Counts of retired queues are kept, so `readings()` never goes backwards.
 */
export class ExportQueues {
  private readonly queues = new Map<string, SpanQueue>();
  /** Queues shutting down: still counted until folded into `retired`. */
  private readonly retiring = new Set<SpanQueue>();
  private retired = { exported: 0, queueFull: 0, exportFailed: 0, shutdown: 0 };
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly sinkFor: SinkFactory = otlpSinkFor,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  /** The queue of `settings`, shared with every caller of the same settings. */
  queueFor(settings: ExportSettings): SpanQueue {
    const key = JSON.stringify(settings);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new SpanQueue(
        this.sinkFor(settings),
        { maxQueueSpans: settings.maxQueueSpans, maxBatchSpans: settings.maxBatchSpans, flushIntervalMs: settings.flushIntervalMs },
        this.scheduler,
      );
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** Shuts the queues not in `keep` down (the ones still in use are kept). */
  prune(keep: ReadonlySet<SpanQueue>): void {
    for (const [key, queue] of this.queues) {
      if (keep.has(queue)) continue;
      this.queues.delete(key);
      this.retire(queue, REPLACED_QUEUE_GRACE_MS);
    }
  }

  /** Totals over every queue, current, retiring and retired. */
  readings(): ExportReadings {
    let { exported, queueFull, exportFailed, shutdown } = this.retired;
    let queued = 0;
    for (const queue of [...this.queues.values(), ...this.retiring]) {
      exported += queue.exported;
      const dropped = queue.dropped;
      queueFull += dropped.queueFull;
      exportFailed += dropped.exportFailed;
      shutdown += dropped.shutdown;
      queued += queue.queued;
    }
    return { exported, queueFull, exportFailed, shutdown, queued };
  }

  /** Drain: sends what waits, within `timeoutMs`, and stops every queue. */
  async close(timeoutMs: number): Promise<void> {
    for (const queue of this.queues.values()) this.retire(queue, timeoutMs);
    this.queues.clear();
    await Promise.all([...this.closing]);
  }

  private retire(queue: SpanQueue, timeoutMs: number): void {
    this.retiring.add(queue);
    const done = queue.shutdown(timeoutMs).then(
      () => this.fold(queue),
      () => this.fold(queue),
    );
    this.closing.add(done);
    void done.finally(() => this.closing.delete(done));
  }

  private fold(queue: SpanQueue): void {
    this.retiring.delete(queue);
    const dropped = queue.dropped;
    const r = this.retired;
    this.retired = {
      exported: r.exported + queue.exported,
      queueFull: r.queueFull + dropped.queueFull,
      exportFailed: r.exportFailed + dropped.exportFailed,
      shutdown: r.shutdown + dropped.shutdown,
    };
  }
}
