/** A span's identity as its children name it: the trace it belongs to and its own span id. */
export interface SpanParent {
  readonly traceId: string;
  readonly spanId: string;
}

/** An attribute value of a control-plane span (the OTLP scalar types Weir uses). */
export type ControlAttributeValue = string | number | boolean;

/** Attributes of a control-plane span or event, by OpenTelemetry attribute name. */
export type ControlAttributes = Record<string, ControlAttributeValue>;

/**
 * One control-plane operation in progress (an apply, a rollout or one of its stages, a bundle
 * pull), made by `ControlTracer.startSpan`. It becomes an OTLP span when `end` is called; until
 * then nothing is queued. Calls after `end` are ignored.
 */
export interface ControlSpan {
  /** This span as the parent of others, or null when nothing is recorded (no `tracing.export`). */
  readonly context: SpanParent | null;
  /** Set (or replace) an attribute; known only later (a version, an outcome). */
  setAttribute(key: string, value: ControlAttributeValue): void;
  /** A point in time within the span (a pause, the rollout's verdict), stamped by the tracer's clock. */
  addEvent(name: string, attributes?: ControlAttributes): void;
  /**
   * Finish the span now. `ok: false` sets the status to ERROR with `errorCode` (a WEIR_ERR_* code
   * or a short word, never a stack) as its message and as `error.type`; `ok: true` leaves the
   * status UNSET, as OpenTelemetry asks of instrumentation for operations that succeeded.
   */
  end(ok: boolean, errorCode?: string): void;
}

/**
 * The span handed out when nothing is recorded: every method does nothing, so callers never
 * test whether tracing is on (STYLE.md rule 8: observability nobody reads costs nothing).
 */
export const NOOP_SPAN: ControlSpan = Object.freeze({
  context: null,
  setAttribute(): void {},
  addEvent(): void {},
  end(): void {},
});
