import { formatTraceParent } from '@weir/tracing';
import type { AttemptSpan, RequestTrace, WorkerTracer } from '../tracing/index';

/**
 * Appends Weir's `traceparent` (Weir's server span as the parent) and the forwarded
 * `tracestate` to an upstream header list from which `copyRequestHeaders` dropped the caller's
 * (issue 18). Returns the index of the `traceparent` value, which a recorded request's attempts
 * rewrite with their own span id.
 */
export function appendTraceHeaders(tracer: WorkerTracer, trace: RequestTrace, headers: string[]): number {
  headers.push('traceparent', tracer.upstreamTraceParent(trace, trace.spanId));
  const at = headers.length - 1;
  if (trace.traceState !== null) headers.push('tracestate', trace.traceState);
  return at;
}

/**
 * Starts a recorded request's client span for the attempt about to be dispatched and makes the
 * attempt's `traceparent` name it as the parent. The value sits at `at` unless a plugin edited
 * the list after it was built; then it is looked up (recorded requests only).
 */
export function traceAttempt(tracer: WorkerTracer, trace: RequestTrace, headers: string[], at: number, endpoint: string): AttemptSpan | null {
  const span = tracer.attempt(trace, performance.now(), endpoint);
  if (span === null) return null;
  let i = at;
  if (headers[i - 1] !== 'traceparent') {
    i = -1;
    for (let j = 0; j < headers.length; j += 2) {
      if ((headers[j] as string).toLowerCase() === 'traceparent') {
        i = j + 1;
        break;
      }
    }
  }
  if (i > 0) headers[i] = formatTraceParent(trace.traceId, span.spanId, trace.sampled);
  return span;
}
