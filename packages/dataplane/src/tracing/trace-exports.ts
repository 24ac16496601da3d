import { hostname } from 'node:os';
import { createOtlpSink, createResource, SpanQueue, type SpanSink } from '@weir/tracing';
import type { TracingExportSpec, TracingSpec } from '@weir/runtime';

/** Spans exported and dropped by every queue this worker has had (metrics, read at scrape). */
export interface TraceExportReadings {
  readonly exported: number;
  readonly queueFull: number;
  readonly exportFailed: number;
  readonly shutdown: number;
  /** Spans waiting now. */
  readonly queued: number;
}

/** How long a replaced queue may take to send what it holds before its spans count as dropped. */
const REPLACED_QUEUE_GRACE_MS = 5_000;

/** Makes the sink of an export spec; tests inject one. */
export type SinkFactory = (exporter: TracingExportSpec) => SpanSink;

function otlpSink(exporter: TracingExportSpec): SpanSink {
  return createOtlpSink({ url: exporter.url, headers: { ...exporter.headers }, timeoutMs: exporter.timeoutMs });
}

/**
 * The export queues of one worker, kept across config versions (issue 18): runtimes whose
 * `tracing.export` is the same share one queue, so an apply that changes routes does not drop or
 * re-send spans; a changed `export` gets a new queue, and the old one is flushed and shut down
 * in the background once no runtime uses it. The process resource (`service.name`, instance id,
 * the config's `resourceAttributes`) is built once per distinct setting.
 */
export class TraceExports {
  private readonly queues = new Map<string, SpanQueue>();
  private readonly resources = new Map<string, ReturnType<typeof createResource>>();
  private readonly sinkFor: SinkFactory;
  private readonly instanceId: string;
  /** Counts of queues already shut down. */
  private retired = { exported: 0, queueFull: 0, exportFailed: 0, shutdown: 0 };
  private readonly closing = new Set<Promise<void>>();
  /** Queues shutting down: still counted until folded into `retired` (counters never go back). */
  private readonly retiring = new Set<SpanQueue>();

  constructor(sinkFor: SinkFactory = otlpSink, instanceId = `${hostname()}:${process.pid}`) {
    this.sinkFor = sinkFor;
    this.instanceId = instanceId;
  }

  /** The queue for `spec.export` (shared with runtimes of the same settings); null without one. */
  queueFor(spec: TracingSpec): SpanQueue | null {
    const exporter = spec.export;
    if (exporter === null) return null;
    const key = JSON.stringify(exporter);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new SpanQueue(this.sinkFor(exporter), {
        maxQueueSpans: exporter.maxQueueSpans,
        maxBatchSpans: exporter.maxBatchSpans,
        flushIntervalMs: exporter.flushIntervalMs,
      });
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** The process resource for `spec`'s service name and attributes. */
  resourceFor(spec: TracingSpec): ReturnType<typeof createResource> {
    const key = JSON.stringify([spec.serviceName, spec.resourceAttributes]);
    let resource = this.resources.get(key);
    if (resource === undefined) {
      resource = createResource({
        ...spec.resourceAttributes,
        'service.name': spec.serviceName,
        'service.instance.id': this.instanceId,
        'process.pid': String(process.pid),
      });
      this.resources.clear();
      this.resources.set(key, resource);
    }
    return resource;
  }

  /** Shuts the queues not in `keep` down (after a stable build: those are the ones in use). */
  prune(keep: ReadonlySet<SpanQueue>): void {
    for (const [key, queue] of this.queues) {
      if (keep.has(queue)) continue;
      this.queues.delete(key);
      this.retire(queue, REPLACED_QUEUE_GRACE_MS);
    }
  }

  /** Totals over every queue, current and retired. */
  readings(): TraceExportReadings {
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
