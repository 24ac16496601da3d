import { hostname } from 'node:os';
import type { Logger } from '@weir/obs';
import type { TracingExportSpec, TracingSpec } from '@weir/runtime';
import { RandomIds, SpanQueue, createOtlpSink, createResource, realScheduler, weirScope, type IdSource, type Scheduler, type SpanRecord, type SpanSink } from '@weir/tracing';
import { toErrorJSON } from '@weir/errors';
import { NOOP_SPAN, type ControlAttributes, type ControlSpan, type SpanParent } from './control-span';
import { RecordingSpan, type SpanOutlet, type SpanSetting } from './recording-span';

/**
 * The version of the instrumentation scope (`weir`) the control-plane spans are reported under:
 * the same attribute list as the data plane's (apps/weir/docs/tracing.md), bumped with it.
 */
export const CONTROL_SCOPE_VERSION = '1';

/** How long a replaced queue may take to send what it holds before its spans count as dropped. */
const REPLACED_QUEUE_GRACE_MS = 5_000;

/** Makes the sink of an export spec; tests inject one. */
export type ControlSinkFactory = (exporter: TracingExportSpec) => SpanSink;

/** Options of {@link ControlTracer}; every one has a default for the daemon. */
export interface ControlTracerOptions {
  /** Default: the OTLP/HTTP protobuf sink of `@weir/tracing` (`createOtlpSink`). */
  readonly sinkFor?: ControlSinkFactory;
  /** Epoch milliseconds, fractions kept. Default `performance.timeOrigin + performance.now()`. */
  readonly clock?: () => number;
  /** Trace and span ids. Default: `RandomIds`. */
  readonly ids?: IdSource;
  /** Timers of the export queue's flush interval. Default: `realScheduler` (unref'd timers). */
  readonly scheduler?: Scheduler;
  /** `service.instance.id`. Default `<hostname>:<pid>`, as the workers name themselves. */
  readonly instanceId?: string;
  /** Told when an export setting cannot be used (the spans are then not recorded). Default: silent. */
  readonly logger?: Logger;
}

function otlpSink(exporter: TracingExportSpec): SpanSink {
  return createOtlpSink({ url: exporter.url, headers: { ...exporter.headers }, timeoutMs: exporter.timeoutMs });
}

const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * The primary's tracer (issue 18: "applies, rollouts (each stage and the verdict) and bundle
 * pulls are spans too, so a rollout can be followed in the same tracing backend as the traffic
 * it moved"). It follows the committed config's `tracing` section the way each worker's
 * `TraceExports` does:
 *
 * - `configure(spec.tracing)` after every commit keeps the export queue when `tracing.export` is
 *   unchanged (no span is dropped or sent twice by an apply that changes routes), and otherwise
 *   starts a new queue and shuts the old one down in the background, giving it 5 s to send what
 *   it holds;
 * - without `tracing.export`, `startSpan` hands out `NOOP_SPAN`: nothing is allocated, queued or
 *   sent;
 * - the resource names this process: `service.name` (`tracing.serviceName`),
 *   `service.instance.id` (`<hostname>:<pid>`), `weir.process` = `primary`, and the config's
 *   `resourceAttributes`.
 *
 * A span ends on the queue current when it ends: an apply that changes the collector is itself
 * sent to the new one. An operation that started while nothing was recorded stays unrecorded.
 */
export class ControlTracer {
  private readonly sinkFor: ControlSinkFactory;
  private readonly clock: () => number;
  private readonly ids: IdSource;
  private readonly scheduler: Scheduler;
  private readonly instanceId: string;
  private readonly logger: Logger | null;
  private readonly scope = weirScope(CONTROL_SCOPE_VERSION);
  private queue: SpanQueue | null = null;
  /** `JSON.stringify(spec.export)` of `queue`, or null. */
  private exportKey: string | null = null;
  private setting: SpanSetting | null = null;
  private settingKey: string | null = null;
  private readonly closing = new Set<Promise<void>>();
  private closed = false;
  /** Bound once: spans hold it rather than the tracer. */
  private readonly outlet: SpanOutlet = {
    now: () => this.clock(),
    emit: (record: SpanRecord) => this.queue?.push(record),
  };

  constructor(options: ControlTracerOptions = {}) {
    this.sinkFor = options.sinkFor ?? otlpSink;
    this.clock = options.clock ?? epochNow;
    this.ids = options.ids ?? new RandomIds();
    this.scheduler = options.scheduler ?? realScheduler;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
    this.logger = options.logger ?? null;
  }

  /** Whether spans are recorded now (a `tracing.export` is configured). */
  get recording(): boolean {
    return this.queue !== null;
  }

  /** Follow a committed config's `tracing` section. No-op after `close`. */
  configure(spec: TracingSpec): void {
    if (this.closed) return;
    const settingKey = JSON.stringify([spec.serviceName, spec.resourceAttributes]);
    if (settingKey !== this.settingKey) {
      this.settingKey = settingKey;
      this.setting = {
        resource: createResource({
          ...spec.resourceAttributes,
          'service.name': spec.serviceName,
          'service.instance.id': this.instanceId,
          'weir.process': 'primary',
        }),
        scope: this.scope,
      };
    }
    const exporter = spec.export;
    const exportKey = exporter === null ? null : JSON.stringify(exporter);
    if (exportKey === this.exportKey) return;
    const old = this.queue;
    this.queue = null;
    this.exportKey = exportKey;
    if (old !== null) this.retire(old, REPLACED_QUEUE_GRACE_MS);
    if (exporter === null) return;
    try {
      this.queue = new SpanQueue(
        this.sinkFor(exporter),
        { maxQueueSpans: exporter.maxQueueSpans, maxBatchSpans: exporter.maxBatchSpans, flushIntervalMs: exporter.flushIntervalMs },
        this.scheduler,
      );
    } catch (err) {
      // The spec was validated, so this is a bug, not an operator's mistake: say so, trace nothing.
      const json = toErrorJSON(err);
      this.logger?.error({ code: json.code, message: json.message }, 'control-plane spans are not recorded: the export setting cannot be used');
    }
  }

  /**
   * Start a span now: a root span (new trace) without `parent`, else a child of it. Returns
   * `NOOP_SPAN` when nothing is recorded. `attributes` is copied.
   */
  startSpan(name: string, attributes: ControlAttributes, parent: SpanParent | null = null): ControlSpan {
    const setting = this.setting;
    if (this.queue === null || setting === null) return NOOP_SPAN;
    const traceId = parent === null ? this.ids.traceId() : parent.traceId;
    return new RecordingSpan(this.outlet, setting, name, traceId, this.ids.spanId(), parent === null ? null : parent.spanId, this.clock(), { ...attributes });
  }

  /**
   * Shutdown: stop recording, send what waits within `timeoutMs` (together with queues still
   * retiring), then close the sink. Spans ending later are not sent.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const queue = this.queue;
    this.queue = null;
    this.exportKey = null;
    if (queue !== null) this.retire(queue, timeoutMs);
    await Promise.all([...this.closing]);
  }

  private retire(queue: SpanQueue, timeoutMs: number): void {
    const done = queue.shutdown(timeoutMs).catch(() => undefined);
    this.closing.add(done);
    void done.then(() => this.closing.delete(done));
  }
}
