/**
 * The trace-context fields of a request, found in one pass over Node's `rawHeaders` (names in
 * the client's spelling). `traceparent` sent more than once is invalid (W3C Trace Context
 * section 3.2: a vendor receiving several must treat the request as having none); `tracestate`
 * lines are combined with `,` like any list field (RFC 9110 section 5.3).
 */
export interface TraceHeaders {
  /** The one `traceparent` value; undefined when absent or repeated. */
  traceparent: string | undefined;
  tracestate: string | undefined;
}

/** Fills `out` from `raw` (reused by the caller: no allocation per request). */
export function readTraceHeaders(raw: readonly string[], out: TraceHeaders): void {
  let parent: string | undefined;
  let parents = 0;
  let state: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 11) {
      if (name === 'traceparent' || name.toLowerCase() === 'traceparent') {
        parent = raw[i + 1];
        parents++;
      }
    } else if (name.length === 10) {
      if (name === 'tracestate' || name.toLowerCase() === 'tracestate') {
        const value = raw[i + 1] as string;
        state = state === undefined ? value : `${state},${value}`;
      }
    }
  }
  out.traceparent = parents === 1 ? parent : undefined;
  out.tracestate = state;
}
