import { CONTINUE } from '../../src/index';
import { isValidRequestId, RequestIdPlugin } from '../../src/builtins/index';
import { TestRequest } from '../support/test-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestId', () => {
  it('generates a UUID, sends it upstream, records it and returns it to the client', () => {
    const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: false });
    const req = new TestRequest({ headers: ['accept', '*/*'] });
    expect(plugin.onRequest(req)).toBe(CONTINUE);
    expect(req.requestId).toMatch(UUID);
    expect(req.headers).toEqual(['accept', '*/*', 'x-request-id', req.requestId]);
    expect(req.responseHeaders).toEqual(['x-request-id', req.requestId]);
    const other = new TestRequest();
    plugin.onRequest(other);
    expect(other.requestId).not.toBe(req.requestId);
  });

  it('propagates a valid incoming id (replacing duplicate lines)', () => {
    const plugin = new RequestIdPlugin({ type: 'requestId', header: 'X-Correlation-Id', propagate: true, useTraceId: false });
    const req = new TestRequest({ headers: ['X-Correlation-ID', 'abc-123', 'x-correlation-id', 'second'] });
    plugin.onRequest(req);
    expect(req.requestId).toBe('abc-123');
    expect(req.headers).toEqual(['x-correlation-id', 'abc-123']);
    expect(req.responseHeaders).toEqual(['x-correlation-id', 'abc-123']);
  });

  it.each([[''], ['has space'], ['x'.repeat(201)], ['caf\u00e9'], ['tab\there'], ['nl\n']])('replaces an invalid incoming id %j', (incoming) => {
    const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: false }, () => 'generated');
    const req = new TestRequest({ headers: ['x-request-id', incoming] });
    plugin.onRequest(req);
    expect(req.requestId).toBe('generated');
    expect(req.headers).toEqual(['x-request-id', 'generated']);
  });

  it('always generates without propagate', () => {
    const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: false, useTraceId: false }, () => 'mine');
    const req = new TestRequest({ headers: ['x-request-id', 'theirs'] });
    plugin.onRequest(req);
    expect(req.requestId).toBe('mine');
    expect(req.headers).toEqual(['x-request-id', 'mine']);
  });

  describe('useTraceId', () => {
    const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

    it('gives a request without an id its trace id instead of a generated one', () => {
      const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: true }, () => 'generated');
      const req = new TestRequest({ headers: ['accept', '*/*'], traceId: TRACE_ID });
      expect(plugin.onRequest(req)).toBe(CONTINUE);
      expect(req.requestId).toBe(TRACE_ID);
      expect(req.headers).toEqual(['accept', '*/*', 'x-request-id', TRACE_ID]);
      expect(req.responseHeaders).toEqual(['x-request-id', TRACE_ID]);
    });

    it('keeps a valid incoming id with propagate, and replaces an invalid one by the trace id', () => {
      const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: true }, () => 'generated');
      const kept = new TestRequest({ headers: ['x-request-id', 'theirs'], traceId: TRACE_ID });
      plugin.onRequest(kept);
      expect(kept.requestId).toBe('theirs');
      const invalid = new TestRequest({ headers: ['x-request-id', 'has space'], traceId: TRACE_ID });
      plugin.onRequest(invalid);
      expect(invalid.requestId).toBe(TRACE_ID);
      expect(invalid.headers).toEqual(['x-request-id', TRACE_ID]);
    });

    it('replaces the incoming id by the trace id without propagate', () => {
      const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: false, useTraceId: true }, () => 'generated');
      const req = new TestRequest({ headers: ['x-request-id', 'theirs'], traceId: TRACE_ID });
      plugin.onRequest(req);
      expect(req.requestId).toBe(TRACE_ID);
      expect(req.headers).toEqual(['x-request-id', TRACE_ID]);
    });

    it('generates an id when the request has no trace id (propagation off)', () => {
      const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: false, useTraceId: true });
      const req = new TestRequest({ traceId: null });
      plugin.onRequest(req);
      expect(req.requestId).toMatch(UUID);
    });

    it('ignores the trace id when off (the default)', () => {
      const plugin = new RequestIdPlugin({ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: false }, () => 'generated');
      const req = new TestRequest({ traceId: TRACE_ID });
      plugin.onRequest(req);
      expect(req.requestId).toBe('generated');
    });
  });

  it('accepts 1-200 visible ASCII characters', () => {
    expect(isValidRequestId('a')).toBe(true);
    expect(isValidRequestId('!~'.repeat(100))).toBe(true);
    expect(isValidRequestId('x'.repeat(201))).toBe(false);
    expect(isValidRequestId('\x7f')).toBe(false);
  });
});
