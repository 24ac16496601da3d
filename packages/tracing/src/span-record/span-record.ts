import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanStatus,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { epochHrTime, hrTimeDiff } from './epoch-hr-time';

/** A span event, shaped like the SDK's `TimedEvent`. */
export interface SpanEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
}

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];
const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];

/**
 * One finished span, as plain data. Its shape is the SDK's `ReadableSpan` (of
 * `@opentelemetry/sdk-trace-base` 2.x, the version `@opentelemetry/otlp-transformer` 0.212 reads:
 * `parentSpanContext`, not the 1.x `parentSpanId`), so the maintained OTLP exporter encodes it
 * without the SDK tracer, its context manager or its span processor. The compiler checks the
 * shape where `createOtlpSink` hands records to the exporter.
 *
 * Only sampled requests build one, so `traceFlags` is always SAMPLED. Events and links start as
 * shared frozen empty arrays; `addEvent` allocates the first time it is called.
 */
export class SpanRecord {
  readonly name: string;
  /** SERVER for the downstream request, CLIENT for each upstream attempt, INTERNAL otherwise. */
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  /** The parent's span id; null for a root span. */
  readonly parentSpanId: string | null;
  /** The parent came from an incoming `traceparent`. */
  readonly parentIsRemote: boolean;
  /** Start and end in epoch milliseconds (fractions kept): the encoder writes them directly. */
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  status: SpanStatus = UNSET;
  readonly attributes: Attributes;
  readonly links: Link[] = NO_LINKS;
  events: SpanEvent[] = NO_EVENTS;
  readonly ended = true;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;

  /**
   * @param parentSpanId the parent's span id, or null for a root span
   * @param parentIsRemote true when the parent came from an incoming `traceparent`
   * @param startEpochMs start in epoch milliseconds (fractions kept), from the injected clock
   * @param attributes owned by the record from now on (not copied)
   * @param resource shared per process (see `createResource`)
   * @param scope shared per process (see `weirScope`)
   */
  constructor(
    name: string,
    kind: SpanKind,
    traceId: string,
    spanId: string,
    parentSpanId: string | null,
    parentIsRemote: boolean,
    startEpochMs: number,
    endEpochMs: number,
    attributes: Attributes,
    resource: Resource,
    scope: InstrumentationScope,
  ) {
    this.name = name;
    this.kind = kind;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.parentIsRemote = parentIsRemote;
    this.startEpochMs = startEpochMs;
    this.endEpochMs = endEpochMs;
    this.attributes = attributes;
    this.resource = resource;
    this.instrumentationScope = scope;
  }

  // The ReadableSpan views below are built when read (the maintained serializer, tests): Weir's
  // encoder reads the plain fields above, so a sampled request allocates none of them.

  /** `{ traceId, spanId, traceFlags: SAMPLED }`. */
  spanContext(): SpanContext {
    return { traceId: this.traceId, spanId: this.spanId, traceFlags: TraceFlags.SAMPLED };
  }

  get parentSpanContext(): SpanContext | undefined {
    const parent = this.parentSpanId;
    return parent === null ? undefined : { traceId: this.traceId, spanId: parent, traceFlags: TraceFlags.SAMPLED, isRemote: this.parentIsRemote };
  }

  get startTime(): HrTime {
    return epochHrTime(this.startEpochMs);
  }

  get endTime(): HrTime {
    return epochHrTime(this.endEpochMs);
  }

  get duration(): HrTime {
    return hrTimeDiff(this.startTime, this.endTime);
  }

  /** Set the status: OK, or ERROR with a short message (an error code, not a stack). */
  setStatus(code: SpanStatusCode, message?: string): void {
    this.status = message === undefined ? { code } : { code, message };
  }

  /** Append an event (a retry, a breaker rejection, ...) at `epochMs`. */
  addEvent(name: string, epochMs: number, attributes?: Attributes): void {
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push(attributes === undefined ? { name, time: epochHrTime(epochMs) } : { name, time: epochHrTime(epochMs), attributes });
  }
}
