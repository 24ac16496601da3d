import { catalogue, type ErrorCode } from '@weir/errors';
import { SpanKind } from '@weir/tracing';
import { WorkerTracer, type RequestFacts } from '../../src/tracing/index';
import {
  ALWAYS_SAMPLED_ID,
  CountingIds,
  immediateQueue,
  MIDDLE_ID,
  PARENT_SPAN,
  PARENT_TRACE,
  RARELY_SAMPLED_ID,
  RecordingSink,
  SCOPE,
  tracingSpec,
} from './fixtures';

/** WorkerTracer (issue 18): continue or start the trace, decide sampling, queue the spans. */

const SAMPLED_PARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;
const UNSAMPLED_PARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-00`;

function facts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    method: 'GET',
    target: '/',
    host: 'a.example',
    secure: false,
    protocol: '1.1',
    clientAddress: '192.0.2.1',
    peerAddress: '192.0.2.1',
    userAgent: undefined,
    status: 200,
    code: null,
    route: 'r',
    upstream: 'u',
    retries: 0,
    cacheStatus: null,
    startedAt: 1,
    endedAt: 2,
    ...overrides,
  };
}

function codeWhere(accept: (c: (typeof catalogue)[ErrorCode]) => boolean): ErrorCode {
  const found = (Object.keys(catalogue) as ErrorCode[]).find((code) => accept(catalogue[code]));
  if (found === undefined) throw new Error('no such code in the catalogue');
  return found;
}

describe('WorkerTracer.begin without an exporter (propagation only)', () => {
  it('continues a valid traceparent with a new span id and keeps its sampled flag, recording nothing', () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(), SCOPE);
    const sampled = tracer.begin(['traceparent', SAMPLED_PARENT], null);
    expect(sampled).toMatchObject({ traceId: PARENT_TRACE, parentId: PARENT_SPAN, spanId: '0000000000000001', sampled: true, recording: false, attempts: null });
    const unsampled = tracer.begin(['traceparent', UNSAMPLED_PARENT], null);
    expect(unsampled).toMatchObject({ traceId: PARENT_TRACE, sampled: false, recording: false });
  });

  it('starts a new, unsampled trace without a usable parent', () => {
    const tracer = new WorkerTracer(tracingSpec({ ratio: 1 }), null, new CountingIds([ALWAYS_SAMPLED_ID]), SCOPE);
    const trace = tracer.begin(['Host', 'h'], 1);
    expect(trace).toMatchObject({ traceId: ALWAYS_SAMPLED_ID, parentId: null, sampled: false, recording: false, traceState: null });
  });

  it('treats an invalid traceparent as absent', () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(['1'.repeat(32)]), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT.toUpperCase(), 'tracestate', 'k=v'], null);
    expect(trace).toMatchObject({ traceId: '1'.repeat(32), parentId: null, traceState: null });
  });

  it('treats a repeated traceparent as absent (W3C section 3.2)', () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(['2'.repeat(32)]), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT, 'traceparent', SAMPLED_PARENT, 'tracestate', 'k=v'], null);
    expect(trace).toMatchObject({ traceId: '2'.repeat(32), parentId: null, sampled: false, traceState: null });
  });

  it('forwards tracestate, lines combined, only with a valid parent', () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(), SCOPE);
    expect(tracer.begin(['tracestate', 'a=1', 'traceparent', SAMPLED_PARENT, 'TraceState', ' b=2 '], null).traceState).toBe('a=1, b=2');
    expect(tracer.begin(['tracestate', 'a=1'], null).traceState).toBeNull();
    expect(tracer.begin(['traceparent', SAMPLED_PARENT, 'tracestate', '  '], null).traceState).toBeNull();
  });

  it('exports nothing, whatever the outcome', () => {
    const tracer = new WorkerTracer(tracingSpec({ keepErrors: true }), null, new CountingIds(), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT], null);
    expect(tracer.exports(trace, 200, null)).toBe(false);
    expect(tracer.exports(trace, 502, 'WEIR_ERR_UPSTREAM_CONNECT')).toBe(false);
    expect(tracer.attempt(trace, 1, '127.0.0.1:80')).toBeNull();
  });
});

describe('WorkerTracer.begin with an exporter', () => {
  it('samples new traces by the ratio on the trace id', () => {
    const ids = new CountingIds([ALWAYS_SAMPLED_ID, RARELY_SAMPLED_ID, MIDDLE_ID, MIDDLE_ID]);
    const tracer = new WorkerTracer(tracingSpec({ ratio: 0.5 }), immediateQueue(), ids, SCOPE);
    expect(tracer.begin([], null)).toMatchObject({ traceId: ALWAYS_SAMPLED_ID, sampled: true, recording: true, attempts: [] });
    expect(tracer.begin([], null)).toMatchObject({ traceId: RARELY_SAMPLED_ID, sampled: false, recording: false, attempts: null });
    expect(tracer.begin([], null).sampled).toBe(true);
    const low = new WorkerTracer(tracingSpec({ ratio: 0.4 }), immediateQueue(), new CountingIds([MIDDLE_ID]), SCOPE);
    expect(low.begin([], null).sampled).toBe(false);
  });

  it("lets the route's ratio replace the default one", () => {
    const tracer = new WorkerTracer(tracingSpec({ ratio: 1 }), immediateQueue(), new CountingIds([MIDDLE_ID, RARELY_SAMPLED_ID]), SCOPE);
    expect(tracer.begin([], 0.4).sampled).toBe(false);
    expect(tracer.begin([], 1).sampled).toBe(true);
    const none = new WorkerTracer(tracingSpec({ ratio: 0 }), immediateQueue(), new CountingIds([ALWAYS_SAMPLED_ID]), SCOPE);
    expect(none.begin([], 0.6).sampled).toBe(true);
  });

  it("follows the parent's flag when parent-based, the ratio when not", () => {
    const based = new WorkerTracer(tracingSpec({ ratio: 1 }), immediateQueue(), new CountingIds(), SCOPE);
    expect(based.begin(['traceparent', UNSAMPLED_PARENT], null).sampled).toBe(false);
    const never = new WorkerTracer(tracingSpec({ ratio: 0 }), immediateQueue(), new CountingIds(), SCOPE);
    expect(never.begin(['traceparent', SAMPLED_PARENT], null).sampled).toBe(true);
    const ratioOnly = new WorkerTracer(tracingSpec({ ratio: 1, parentBased: false }), immediateQueue(), new CountingIds(), SCOPE);
    expect(ratioOnly.begin(['traceparent', UNSAMPLED_PARENT], null)).toMatchObject({ traceId: PARENT_TRACE, sampled: true });
  });

  it('records unsampled requests with keepErrors, and exports them only when they end in an error', () => {
    const tracer = new WorkerTracer(tracingSpec({ ratio: 0, keepErrors: true }), immediateQueue(), new CountingIds(), SCOPE);
    const trace = tracer.begin([], null);
    expect(trace).toMatchObject({ sampled: false, recording: true, attempts: [] });
    const downstream4xx = codeWhere((c) => c.source === 'downstream' && c.status < 500);
    const downstream5xx = codeWhere((c) => c.source === 'downstream' && c.status >= 500);
    const proxy4xx = codeWhere((c) => c.source !== 'downstream' && c.status < 500);
    expect(tracer.exports(trace, 200, null)).toBe(false);
    expect(tracer.exports(trace, 404, null)).toBe(false);
    expect(tracer.exports(trace, catalogue[downstream4xx].status, downstream4xx)).toBe(false);
    expect(tracer.exports(trace, 500, null)).toBe(true);
    expect(tracer.exports(trace, 503, downstream5xx)).toBe(true);
    expect(tracer.exports(trace, catalogue[proxy4xx].status, proxy4xx)).toBe(true);
    expect(tracer.exports(trace, 502, 'WEIR_ERR_UPSTREAM_CONNECT')).toBe(true);
  });

  it('without keepErrors an unsampled request records and exports nothing', () => {
    const tracer = new WorkerTracer(tracingSpec({ ratio: 0, keepErrors: false }), immediateQueue(), new CountingIds(), SCOPE);
    const trace = tracer.begin([], null);
    expect(trace.recording).toBe(false);
    expect(tracer.exports(trace, 502, 'WEIR_ERR_UPSTREAM_CONNECT')).toBe(false);
  });

  it('exports every sampled request, errors or not', () => {
    const tracer = new WorkerTracer(tracingSpec({ ratio: 1 }), immediateQueue(), new CountingIds(), SCOPE);
    const trace = tracer.begin([], null);
    expect(tracer.exports(trace, 200, null)).toBe(true);
    expect(tracer.exports(trace, 429, 'WEIR_ERR_RATE_LIMITED')).toBe(true);
  });
});

describe('WorkerTracer attempts and end', () => {
  it("names Weir's span as the upstream's parent, with the sampled flag", () => {
    const tracer = new WorkerTracer(tracingSpec(), null, new CountingIds(), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT], null);
    expect(tracer.upstreamTraceParent(trace, trace.spanId)).toBe(`00-${PARENT_TRACE}-${trace.spanId}-01`);
    const fresh = tracer.begin([], null);
    expect(tracer.upstreamTraceParent(fresh, 'abcdefabcdefabcd')).toBe(`00-${fresh.traceId}-abcdefabcdefabcd-00`);
  });

  it('gives each attempt of a recorded request its own span id, in order', () => {
    const tracer = new WorkerTracer(tracingSpec(), immediateQueue(), new CountingIds(), SCOPE);
    const trace = tracer.begin([], null);
    const first = tracer.attempt(trace, 10, '127.0.0.1:8080');
    const second = tracer.attempt(trace, 20, '127.0.0.1:8081');
    expect(first?.spanId).not.toBe(second?.spanId);
    expect(first?.spanId).not.toBe(trace.spanId);
    expect(trace.attempts).toEqual([first, second]);
    expect(trace.lastAttempt()).toBe(second);
  });

  it('queues the server span and one client span per attempt', () => {
    const sink = new RecordingSink();
    const tracer = new WorkerTracer(tracingSpec(), immediateQueue(sink), new CountingIds(), SCOPE);
    const trace = tracer.begin(['traceparent', SAMPLED_PARENT], null);
    tracer.attempt(trace, 1.5, '127.0.0.1:8080')?.end(1.8, 200, null);
    tracer.end(trace, facts());
    const spans = sink.batches.flat();
    expect(spans.map((s) => s.kind)).toEqual([SpanKind.SERVER, SpanKind.CLIENT]);
    expect(spans.map((s) => s.spanContext().traceId)).toEqual([PARENT_TRACE, PARENT_TRACE]);
  });
});
