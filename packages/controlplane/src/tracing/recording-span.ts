import { SpanKind, SpanRecord, SpanStatusCode } from '@weir/tracing';
import type { ControlAttributes, ControlAttributeValue, ControlSpan, SpanParent } from './control-span';

/** What a recording span needs of its tracer when it ends. */
export interface SpanOutlet {
  /** Epoch milliseconds (fractions kept). */
  now(): number;
  /** Queue the finished record, on the export queue current at that moment (if any). */
  emit(record: SpanRecord): void;
}

/** Shared by every span of a tracer: the process resource and Weir's instrumentation scope. */
export interface SpanSetting {
  readonly resource: SpanRecord['resource'];
  readonly scope: SpanRecord['instrumentationScope'];
}

interface PendingEvent {
  readonly name: string;
  readonly epochMs: number;
  readonly attributes: ControlAttributes | undefined;
}

/**
 * A control-plane span being recorded: ids and start time are fixed when it starts, attributes
 * and events are collected, and `end` turns it into one `SpanRecord` (INTERNAL kind: nothing in
 * the control plane serves or calls a remote peer on the traced path).
 */
export class RecordingSpan implements ControlSpan {
  readonly context: SpanParent;
  private readonly events: PendingEvent[] = [];
  private ended = false;

  constructor(
    private readonly outlet: SpanOutlet,
    private readonly setting: SpanSetting,
    private readonly name: string,
    traceId: string,
    spanId: string,
    private readonly parentSpanId: string | null,
    private readonly startEpochMs: number,
    private readonly attributes: ControlAttributes,
  ) {
    this.context = { traceId, spanId };
  }

  setAttribute(key: string, value: ControlAttributeValue): void {
    if (!this.ended) this.attributes[key] = value;
  }

  addEvent(name: string, attributes?: ControlAttributes): void {
    if (!this.ended) this.events.push({ name, epochMs: this.outlet.now(), attributes: attributes === undefined ? undefined : { ...attributes } });
  }

  end(ok: boolean, errorCode?: string): void {
    if (this.ended) return;
    this.ended = true;
    const code = ok ? undefined : (errorCode ?? 'error');
    if (code !== undefined) this.attributes['error.type'] = code;
    const record = new SpanRecord(
      this.name,
      SpanKind.INTERNAL,
      this.context.traceId,
      this.context.spanId,
      this.parentSpanId,
      false,
      this.startEpochMs,
      Math.max(this.startEpochMs, this.outlet.now()),
      this.attributes,
      this.setting.resource,
      this.setting.scope,
    );
    if (code !== undefined) record.setStatus(SpanStatusCode.ERROR, code);
    for (const e of this.events) record.addEvent(e.name, e.epochMs, e.attributes);
    this.outlet.emit(record);
  }
}
