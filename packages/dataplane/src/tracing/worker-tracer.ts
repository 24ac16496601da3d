import { acceptTraceState, formatTraceParent, parseTraceParent, shouldSample, type IdSource, type SamplingPolicy, type SpanQueue } from '@weir/tracing';
import type { TracingSpec } from '@weir/runtime';
import { AttemptSpan, RequestTrace } from './request-trace';
import { endedInError, writeRequestSpans, type RequestFacts } from './request-spans';
import { readTraceHeaders, type TraceHeaders } from './trace-headers';
import type { TraceScope } from './trace-scope';

/**
 * The tracing of one runtime (issue 18), made by `assemble` when the spec's `tracing.propagation`
 * is on. Per request:
 *
 * - `begin`: parse `traceparent` / `tracestate` (pure, `@weir/tracing`), keep or start the trace,
 *   decide sampling (parent-based, then the route's or the default ratio on the trace id), and
 *   make Weir's span id. Only a recorded request allocates more than the ids.
 * - `upstreamTraceParent`: the value sent upstream: Weir's span as the parent.
 * - `attempt`: a recorded request's client span per upstream attempt, with its own id.
 * - `end`: a recorded request's spans go to the export queue when sampled, or when it ended in
 *   an error and `keepErrors` is on. Returns whether they did (the request-duration histogram
 *   then takes the trace id as an exemplar).
 *
 * Without an exporter (`queue` null) nothing is recorded: a continued trace keeps the caller's
 * sampled flag, a new one is sent as not sampled (nobody records it).
 */
export class WorkerTracer {
  private readonly policy: SamplingPolicy;
  private readonly queue: SpanQueue | null;
  private readonly ids: IdSource;
  private readonly scope: TraceScope;
  /** Reused by `begin` (one request at a time on the event loop). */
  private readonly headers: TraceHeaders;

  constructor(spec: TracingSpec, queue: SpanQueue | null, ids: IdSource, scope: TraceScope) {
    this.policy = { ratio: spec.ratio, parentBased: spec.parentBased, keepErrors: spec.keepErrors };
    this.queue = queue;
    this.ids = ids;
    this.scope = scope;
    this.headers = { traceparent: undefined, tracestate: undefined };
  }

  /** The request's trace: continued from a valid `traceparent`, else new. */
  begin(rawHeaders: readonly string[], routeRatio: number | null): RequestTrace {
    const headers = this.headers;
    readTraceHeaders(rawHeaders, headers);
    const parent = parseTraceParent(headers.traceparent);
    const traceId = parent === null ? this.ids.traceId() : parent.traceId;
    const spanId = this.ids.spanId();
    const traceState = parent === null ? null : acceptTraceState(headers.tracestate);
    if (this.queue === null) {
      return new RequestTrace(traceId, spanId, parent === null ? null : parent.parentId, parent !== null && parent.sampled, false, traceState);
    }
    const sampled = shouldSample(this.policy, routeRatio, parent, traceId);
    return new RequestTrace(traceId, spanId, parent === null ? null : parent.parentId, sampled, sampled || this.policy.keepErrors, traceState);
  }

  /** `traceparent` for the upstream request, with `spanId` (the server or the attempt span) as parent. */
  upstreamTraceParent(trace: RequestTrace, spanId: string): string {
    return formatTraceParent(trace.traceId, spanId, trace.sampled);
  }

  /** A recorded request's next attempt (its client span); null when nothing is recorded. */
  attempt(trace: RequestTrace, startedAt: number, endpoint: string): AttemptSpan | null {
    const attempts = trace.attempts;
    if (attempts === null) return null;
    const span = new AttemptSpan(this.ids.spanId(), startedAt, endpoint);
    attempts.push(span);
    return span;
  }

  /**
   * Whether a finished request's spans are exported: recorded, and sampled or (with
   * `keepErrors`) ended in an error. `end` then builds them from `facts()`.
   */
  exports(trace: RequestTrace, status: number, code: RequestFacts['code']): boolean {
    return trace.recording && (trace.sampled || (this.policy.keepErrors && endedInError(status, code)));
  }

  /** Queues the spans of a request `exports` said yes to. */
  end(trace: RequestTrace, facts: RequestFacts): void {
    writeRequestSpans(this.queue as SpanQueue, trace, facts, this.scope);
  }
}
