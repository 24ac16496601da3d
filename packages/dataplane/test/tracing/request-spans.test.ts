import { epochHrTime, SpanKind, SpanStatusCode, type SpanRecord } from '@weir/tracing';
import { AttemptSpan, endedInError, RequestTrace, type RequestFacts } from '../../src/tracing/index';
import { writeRequestSpans } from '../../src/tracing/request-spans';
import type { TraceScope } from '../../src/tracing/index';
import { immediateQueue, PARENT_SPAN, PARENT_TRACE, RecordingSink, SCOPE } from './fixtures';

/**
 * writeRequestSpans (issue 18): the SERVER span and one CLIENT span per attempt of a finished
 * request, read back from the bytes it queued with the maintained decoder.
 */

function requestSpans(trace: RequestTrace, requestFacts: RequestFacts, scope: TraceScope): SpanRecord[] {
  const sink = new RecordingSink();
  writeRequestSpans(immediateQueue(sink), trace, requestFacts, scope);
  expect(sink.batches).toHaveLength(1);
  return sink.batches[0] as SpanRecord[];
}

const SERVER_SPAN = '1111111111111111';

function facts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    method: 'POST',
    target: '/items/7?token=secret',
    host: 'api.example.com:8443',
    secure: true,
    protocol: '2',
    clientAddress: '203.0.113.9',
    peerAddress: '10.0.0.2',
    userAgent: 'curl/8',
    status: 201,
    code: null,
    route: 'items',
    upstream: 'backend',
    retries: 0,
    cacheStatus: null,
    startedAt: 100,
    endedAt: 150,
    ...overrides,
  };
}

function recorded(parentId: string | null = PARENT_SPAN): RequestTrace {
  return new RequestTrace(PARENT_TRACE, SERVER_SPAN, parentId, true, true, null);
}

function server(spans: SpanRecord[]): SpanRecord {
  return spans[0] as SpanRecord;
}

const at = (ms: number): ReturnType<typeof epochHrTime> => epochHrTime(performance.timeOrigin + ms);

describe('requestSpans: the server span', () => {
  it('carries the HTTP semantic-convention attributes and Weir’s own', () => {
    const spans = requestSpans(recorded(), facts({ cacheStatus: 'MISS' }), SCOPE);
    expect(spans).toHaveLength(1);
    const s = server(spans);
    expect(s.name).toBe('items');
    expect(s.kind).toBe(SpanKind.SERVER);
    expect(s.spanContext()).toMatchObject({ traceId: PARENT_TRACE, spanId: SERVER_SPAN });
    expect(s.parentSpanContext).toMatchObject({ spanId: PARENT_SPAN, isRemote: true });
    expect(s.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/items/7',
      'url.scheme': 'https',
      'server.address': 'api.example.com',
      'client.address': '203.0.113.9',
      'network.peer.address': '10.0.0.2',
      'network.protocol.version': '2',
      'weir.config.version': 'v7',
      'weir.rollout.arm': 'stable',
      'http.response.status_code': 201,
      'user_agent.original': 'curl/8',
      'weir.route': 'items',
      'weir.upstream': 'backend',
      'weir.cache.status': 'MISS',
    });
    expect(s.status.code).toBe(SpanStatusCode.UNSET);
    expect(s.startTime).toEqual(at(100));
    expect(s.endTime).toEqual(at(150));
    expect(s.events).toEqual([]);
    expect(s.resource.attributes).toEqual(SCOPE.group.resource.attributes);
    expect(s.instrumentationScope).toEqual(SCOPE.group.scope);
  });

  it('is a root span for a new trace, named after the method when no route matched', () => {
    const s = server(requestSpans(recorded(null), facts({ route: null, upstream: null, status: 404, code: 'WEIR_ERR_NO_ROUTE', userAgent: undefined }), SCOPE));
    expect(s.name).toBe('POST');
    expect(s.parentSpanContext).toBeUndefined();
    expect(s.attributes).not.toHaveProperty('weir.route');
    expect(s.attributes).not.toHaveProperty('weir.upstream');
    expect(s.attributes).not.toHaveProperty('user_agent.original');
    expect(s.attributes['weir.error.code']).toBe('WEIR_ERR_NO_ROUTE');
    // A client's mistake is not the proxy's error.
    expect(s.attributes).not.toHaveProperty('error.type');
    expect(s.status.code).toBe(SpanStatusCode.UNSET);
  });

  it.each([
    ['a.example', 'a.example'],
    ['a.example:80', 'a.example'],
    ['[::1]:8080', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[broken', '[broken'],
    ['', ''],
  ])('server.address of Host %j is %j', (host, expected) => {
    expect(server(requestSpans(recorded(), facts({ host }), SCOPE)).attributes['server.address']).toBe(expected);
  });

  it('keeps url.path whole without a query, and http without TLS', () => {
    const s = server(requestSpans(recorded(), facts({ target: '/plain', secure: false }), SCOPE));
    expect(s.attributes).toMatchObject({ 'url.path': '/plain', 'url.scheme': 'http' });
  });

  it('leaves out the status of a request that never got one', () => {
    const s = server(requestSpans(recorded(), facts({ status: 0, code: 'WEIR_ERR_CLIENT_ABORTED' }), SCOPE));
    expect(s.attributes).not.toHaveProperty('http.response.status_code');
  });

  it('marks a 5xx as an error typed by its status, and a proxy error by its code', () => {
    const upstream5xx = server(requestSpans(recorded(), facts({ status: 503 }), SCOPE));
    expect(upstream5xx.attributes['error.type']).toBe('503');
    expect(upstream5xx.status).toEqual({ code: SpanStatusCode.ERROR, message: '503' });
    const proxyError = server(requestSpans(recorded(), facts({ status: 502, code: 'WEIR_ERR_UPSTREAM_CONNECT' }), SCOPE));
    expect(proxyError.attributes).toMatchObject({ 'error.type': 'WEIR_ERR_UPSTREAM_CONNECT', 'weir.error.code': 'WEIR_ERR_UPSTREAM_CONNECT' });
    expect(proxyError.status).toEqual({ code: SpanStatusCode.ERROR, message: 'WEIR_ERR_UPSTREAM_CONNECT' });
  });

  it('endedInError: 5xx or a code whose source is not downstream', () => {
    expect(endedInError(200, null)).toBe(false);
    expect(endedInError(499, 'WEIR_ERR_CLIENT_ABORTED')).toBe(false);
    expect(endedInError(429, 'WEIR_ERR_RATE_LIMITED')).toBe(false);
    expect(endedInError(500, null)).toBe(true);
    expect(endedInError(503, 'WEIR_ERR_ROUTE_CONCURRENCY')).toBe(true);
    expect(endedInError(400, 'WEIR_ERR_CONFIG_INVALID')).toBe(true);
  });

  it.each([
    ['WEIR_ERR_BREAKER_OPEN', 503, 'weir.breaker_open'],
    ['WEIR_ERR_RATE_LIMITED', 429, 'weir.rate_limited'],
    ['WEIR_ERR_ROUTE_CONCURRENCY', 503, 'weir.concurrency_limited'],
    ['WEIR_ERR_UNAUTHORIZED', 401, 'weir.plugin_rejected'],
    ['WEIR_ERR_FORBIDDEN', 403, 'weir.plugin_rejected'],
    ['WEIR_ERR_BODY_TOO_LARGE', 413, 'weir.body_too_large'],
    ['WEIR_ERR_FAULT_INJECTED', 503, 'weir.fault_injected'],
  ] as const)('a request ended by %s gets the decision event', (code, status, event) => {
    const s = server(requestSpans(recorded(), facts({ code, status }), SCOPE));
    expect(s.events).toEqual([{ name: event, time: at(150), attributes: { 'weir.error.code': code } }]);
  });

  it('has no decision event for other codes', () => {
    expect(server(requestSpans(recorded(), facts({ code: 'WEIR_ERR_UPSTREAM_TIMEOUT', status: 504 }), SCOPE)).events).toEqual([]);
  });
});

describe('requestSpans: client spans', () => {
  it('makes one client span per attempt, parented on the server span, and a weir.retry event per resend', () => {
    const trace = recorded();
    const first = new AttemptSpan('2222222222222222', 105, '10.0.0.5:8080');
    first.end(110, 0, 'WEIR_ERR_UPSTREAM_CONNECT');
    const second = new AttemptSpan('3333333333333333', 112, '[2001:db8::2]:9090');
    second.end(140, 201, null);
    trace.attempts?.push(first, second);
    const spans = requestSpans(trace, facts({ retries: 1 }), SCOPE);
    expect(spans).toHaveLength(3);
    const [s, a, b] = spans as [SpanRecord, SpanRecord, SpanRecord];
    expect(s.attributes['weir.retry.count']).toBe(1);
    expect(s.events).toEqual([{ name: 'weir.retry', time: at(112), attributes: { 'http.request.resend_count': 1, 'weir.endpoint': '[2001:db8::2]:9090' } }]);
    for (const c of [a, b]) {
      expect(c.kind).toBe(SpanKind.CLIENT);
      expect(c.name).toBe('backend');
      expect(c.spanContext().traceId).toBe(PARENT_TRACE);
      expect(c.parentSpanContext).toMatchObject({ spanId: SERVER_SPAN, isRemote: false });
    }
    expect(a.spanContext().spanId).toBe('2222222222222222');
    expect(a.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '10.0.0.5',
      'server.port': 8080,
      'weir.endpoint': '10.0.0.5:8080',
      'weir.upstream': 'backend',
      'error.type': 'WEIR_ERR_UPSTREAM_CONNECT',
    });
    expect(a.status).toEqual({ code: SpanStatusCode.ERROR, message: 'WEIR_ERR_UPSTREAM_CONNECT' });
    expect(a.startTime).toEqual(at(105));
    expect(a.endTime).toEqual(at(110));
    expect(b.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '2001:db8::2',
      'server.port': 9090,
      'weir.endpoint': '[2001:db8::2]:9090',
      'weir.upstream': 'backend',
      'http.request.resend_count': 1,
      'http.response.status_code': 201,
    });
    expect(b.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a 4xx answer as a client-span error typed by its status', () => {
    const trace = recorded();
    const attempt = new AttemptSpan('2222222222222222', 105, '10.0.0.5:8080');
    attempt.end(110, 404, null);
    trace.attempts?.push(attempt);
    const c = requestSpans(trace, facts({ status: 404 }), SCOPE)[1] as SpanRecord;
    expect(c.attributes['error.type']).toBe('404');
    expect(c.status).toEqual({ code: SpanStatusCode.ERROR, message: '404' });
  });

  it("ends an attempt that never ended at the request's end, and names it after the method without an upstream", () => {
    const trace = recorded();
    trace.attempts?.push(new AttemptSpan('2222222222222222', 105, 'backend.internal'));
    const c = requestSpans(trace, facts({ upstream: null, status: 499, code: 'WEIR_ERR_CLIENT_ABORTED' }), SCOPE)[1] as SpanRecord;
    expect(c.name).toBe('POST');
    expect(c.endTime).toEqual(at(150));
    expect(c.attributes).toMatchObject({ 'server.address': 'backend.internal', 'server.port': 0 });
    expect(c.attributes).not.toHaveProperty('weir.upstream');
    expect(c.attributes).not.toHaveProperty('http.response.status_code');
  });

  it('AttemptSpan.end keeps the first outcome', () => {
    const attempt = new AttemptSpan('2222222222222222', 1, 'h:1');
    attempt.end(2, 200, null);
    attempt.end(3, 0, 'WEIR_ERR_UPSTREAM_RESET');
    expect(attempt).toMatchObject({ endedAt: 2, status: 200, code: null });
  });
});
