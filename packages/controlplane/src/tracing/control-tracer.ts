import { hostname } from 'node:os';
import type { Logger } from '@weir/obs';
import type { TracingExportSpec, TracingSpec } from '@weir/runtime';
import { ExportQueues, RandomIds, createResource, otlpSinkFor, realScheduler, weirScope, type IdSource, type Scheduler, type SpanQueue, type SpanRecord, type SpanSink } from '@weir/tracing';
import { toErrorJSON } from '@weir/errors';
import { NOOP_SPAN, type ControlAttributes, type ControlSpan, type SpanParent } from './control-span';
import { RecordingSpan, type SpanOutlet, type SpanSetting } from './recording-span';

/**
 * The version of the instrumentation scope (`weir`) the control-plane spans are reported under:
 * the same attribute list as the data plane's (apps/weir/docs/tracing.md), bumped with it.
 */
export const CONTROL_SCOPE_VERSION = '1';

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
  private readonly clock: () => number;
  private readonly ids: IdSource;
  private readonly instanceId: string;
  private readonly logger: Logger | null;
  private readonly scope = weirScope(CONTROL_SCOPE_VERSION);
  /** The queue per export setting, as the workers keep theirs (`ExportQueues`). */
  private readonly queues: ExportQueues;
  private queue: SpanQueue | null = null;
  private setting: SpanSetting | null = null;
  private settingKey: string | null = null;
  private closed = false;
  /** Bound once: spans hold it rather than the tracer. */
  private readonly outlet: SpanOutlet = {
    now: () => this.clock(),
    emit: (record: SpanRecord) => this.queue?.push(record),
  };

  constructor(options: ControlTracerOptions = {}) {
    this.queues = new ExportQueues(options.sinkFor ?? otlpSinkFor, options.scheduler ?? realScheduler);
    this.clock = options.clock ?? epochNow;
    this.ids = options.ids ?? new RandomIds();
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
    this.queue = null;
    if (exporter !== null) {
      try {
        this.queue = this.queues.queueFor(exporter);
      } catch (err) {
        // The spec was validated, so this is a bug, not an operator's mistake: say so, trace nothing.
        const json = toErrorJSON(err);
        this.logger?.error({ code: json.code, message: json.message }, 'control-plane spans are not recorded: the export setting cannot be used');
      }
    }
    // A changed setting's old queue sends what it holds (within 5 s) and stops.
    this.queues.prune(this.queue === null ? new Set() : new Set([this.queue]));
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
    this.queue = null;
    await this.queues.close(timeoutMs);
  }
}
