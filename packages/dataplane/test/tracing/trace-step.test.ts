import { WorkerTracer } from '../../src/tracing/index';
import { appendTraceHeaders, traceAttempt } from '../../src/proxy/trace-step';
import { CountingIds, immediateQueue, PARENT_SPAN, PARENT_TRACE, SCOPE, tracingSpec } from './fixtures';

/**
 * trace-step (src/proxy/trace-step.ts, issue 18): Weir's traceparent/tracestate on the upstream
 * header list, and each attempt's rewrite of it. Kept with the tracing tests it exercises.
 */

const SAMPLED_PARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;

function recordedTracer(): WorkerTracer {
  return new WorkerTracer(tracingSpec({ ratio: 1 }), immediateQueue(), new CountingIds(), SCOPE);
}

describe('appendTraceHeaders', () => {
  it("appends Weir's traceparent and the forwarded tracestate, returning the traceparent value's index", () => {
    const tracer = recordedTracer();
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT, 'tracestate', 'v=1'], null);
    const headers = ['host', 'h', 'accept', '*/*'];
    const at = appendTraceHeaders(tracer, trace, headers);
    expect(at).toBe(5);
    expect(headers).toEqual(['host', 'h', 'accept', '*/*', 'traceparent', `00-${PARENT_TRACE}-${trace.spanId}-01`, 'tracestate', 'v=1']);
  });

  it('appends no tracestate when there is none to forward', () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(), SCOPE);
    const trace = tracer.begin([], null);
    const headers: string[] = [];
    expect(appendTraceHeaders(tracer, trace, headers)).toBe(1);
    expect(headers).toEqual(['traceparent', `00-${trace.traceId}-${trace.spanId}-00`]);
  });
});

describe('traceAttempt', () => {
  it("rewrites the traceparent at its index with each attempt's span id", () => {
    const tracer = recordedTracer();
    const trace = tracer.begin([], null);
    const headers = ['host', 'h'];
    const at = appendTraceHeaders(tracer, trace, headers);
    const first = traceAttempt(tracer, trace, headers, at, '127.0.0.1:1');
    expect(headers[at]).toBe(`00-${trace.traceId}-${first?.spanId}-01`);
    const second = traceAttempt(tracer, trace, headers, at, '127.0.0.1:2');
    expect(headers[at]).toBe(`00-${trace.traceId}-${second?.spanId}-01`);
    expect(headers.filter((h) => h === 'traceparent')).toHaveLength(1);
    expect(trace.attempts?.map((a) => a.endpoint)).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
  });

  it('finds the traceparent when a plugin moved it (and matches its name in any case)', () => {
    const tracer = recordedTracer();
    const trace = tracer.begin([], null);
    const headers = ['host', 'h'];
    const at = appendTraceHeaders(tracer, trace, headers);
    // A plugin removed `host` and renamed the field: the value is no longer at `at`.
    headers.splice(0, 2);
    headers[0] = 'TraceParent';
    const span = traceAttempt(tracer, trace, headers, at, '127.0.0.1:1');
    expect(headers).toEqual(['TraceParent', `00-${trace.traceId}-${span?.spanId}-01`]);
    // Inserted fields ahead of it move it the other way.
    headers.unshift('x-a', '1', 'x-b', '2');
    const next = traceAttempt(tracer, trace, headers, at, '127.0.0.1:1');
    expect(headers[5]).toBe(`00-${trace.traceId}-${next?.spanId}-01`);
  });

  it('adds nothing when a plugin removed the traceparent, but still records the attempt', () => {
    const tracer = recordedTracer();
    const trace = tracer.begin([], null);
    const headers: string[] = [];
    const at = appendTraceHeaders(tracer, trace, headers);
    headers.length = 0;
    headers.push('accept', '*/*');
    expect(traceAttempt(tracer, trace, headers, at, '127.0.0.1:1')).not.toBeNull();
    expect(headers).toEqual(['accept', '*/*']);
  });

  it("leaves an unrecorded request's traceparent alone (the server span stays the parent)", () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT], null);
    const headers: string[] = [];
    const at = appendTraceHeaders(tracer, trace, headers);
    const before = headers.slice();
    expect(traceAttempt(tracer, trace, headers, at, '127.0.0.1:1')).toBeNull();
    expect(headers).toEqual(before);
  });
});
