import { closedPort } from '../helpers/servers';
import { errorCode, send, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FaultyUpstream, retryOn, withRetry } from '../helpers/faults';
import { forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

const FAST = { baseMs: 1, maxMs: 5 };

/**
 * Retries through the whole pipeline, against fault-injecting upstreams on loopback: which
 * failures are retried, where the retry goes, what is never retried, and what it costs.
 */
describe('proxy retries', () => {
  let plane: TestPlane | null = null;
  const ups: FaultyUpstream[] = [];

  async function faulty(handler: Parameters<typeof FaultyUpstream.start>[0] = (_req, res) => res.end('ok')): Promise<FaultyUpstream> {
    const up = await FaultyUpstream.start(handler);
    ups.push(up);
    return up;
  }

  afterEach(async () => {
    if (plane !== null) await plane.close();
    plane = null;
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  it('retries a connect failure on the other endpoint, for GET and POST alike', async () => {
    expect.assertions(6);
    const dead = await closedPort();
    const live = await faulty((_req, res, body) => res.end(`got:${body}`));
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [dead, live.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('connectFailure'), backoff: FAST })],
    });
    plane = await startPlane(spec, { metrics: metrics.asMetrics() });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = i < 2 ? await send(plane.port, { path: '/x' }) : await send(plane.port, { method: 'POST', path: '/x', body: 'payload' });
      results.push(`${res.status} ${res.body.toString()}`);
    }
    expect(results).toEqual(['200 got:', '200 got:', '200 got:payload', '200 got:payload']);
    expect(live.count('POST')).toBe(2);
    expect(live.requests.filter((r) => r.method === 'POST').every((r) => r.body === 'payload')).toBe(true);
    const retries = metrics.eventsOf('api').filter((e) => e.startsWith('retry:'));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(new Set(retries)).toEqual(new Set(['retry:connect-failure']));
    expect(metrics.upstreamErrors.every((e) => e.code === 'WEIR_ERR_UPSTREAM_CONNECT')).toBe(true);
  });

  it('retries even a POST whose connection was reset before the request went out', async () => {
    expect.assertions(2);
    const resetting = await faulty();
    resetting.mode = 'reset';
    const good = await faulty((_req, res, body) => res.end(body));
    const spec = makeSpec({
      upstreams: [upstream('api', [resetting.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('connectFailure'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    const res = await send(plane.port, { method: 'POST', path: '/post', body: 'once' });
    expect(`${res.status} ${res.body.toString()}`).toBe('200 once');
    expect(resetting.connections).toBe(1);
  });

  it('retries a GET that was reset before any response, on a different endpoint', async () => {
    expect.assertions(3);
    const resetting = await faulty((req) => req.socket.resetAndDestroy());
    const good = await faulty((_req, res) => res.end('good'));
    const spec = makeSpec({
      upstreams: [upstream('api', [resetting.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('reset'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push((await send(plane.port, { path: '/get' })).body.toString());
    expect(bodies).toEqual(['good', 'good', 'good', 'good']);
    expect(resetting.connections).toBeGreaterThanOrEqual(1);
    expect(good.count('GET')).toBe(4);
  });

  it('never retries a POST that was sent, even on a reset', async () => {
    expect.assertions(3);
    const resetting = await faulty((req) => req.socket.resetAndDestroy());
    const good = await faulty((_req, res) => res.end('good'));
    const spec = makeSpec({
      upstreams: [upstream('api', [resetting.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('reset', 'connectFailure', 'serverError'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    // Round robin starts on the resetting endpoint.
    const res = await send(plane.port, { method: 'POST', path: '/post', body: 'x'.repeat(100) });
    expect(res.status).toBe(502);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_RESET');
    expect(good.count('POST')).toBe(0);
  });

  it('retries a POST after sending only when the route says its upstream deduplicates', async () => {
    expect.assertions(2);
    const resetting = await faulty((req) => req.socket.resetAndDestroy());
    const good = await faulty((_req, res, body) => res.end(body));
    const spec = makeSpec({
      upstreams: [upstream('api', [resetting.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('reset'), retryNonIdempotent: true, backoff: FAST })],
    });
    plane = await startPlane(spec);
    const res = await send(plane.port, { method: 'POST', path: '/post', body: 'replayed body' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('replayed body');
  });

  it('replays a small PUT body, but not a body larger than maxReplayBodyBytes', async () => {
    expect.assertions(4);
    const resetting = await faulty((req) => req.socket.resetAndDestroy());
    const good = await faulty((_req, res, body) => res.end(`len:${body.length}`));
    const lonely = await faulty((req) => req.socket.resetAndDestroy());
    const retry = { retryOn: retryOn('reset'), maxReplayBodyBytes: 1_000, backoff: FAST };
    const spec = makeSpec({
      upstreams: [upstream('mixed', [resetting.port, good.port]), upstream('bad', [lonely.port])],
      routes: [
        withRetry(forwardRoute('small', 'mixed', { match: match({ path: { kind: 'prefix', value: '/small' } }) }), retry),
        withRetry(forwardRoute('large', 'bad', { match: match({ path: { kind: 'prefix', value: '/large' } }) }), retry),
      ],
    });
    plane = await startPlane(spec);
    // Round robin starts on the resetting endpoint: the body goes out twice, whole both times.
    const small = await send(plane.port, { method: 'PUT', path: '/small', body: 'y'.repeat(1_000) });
    expect(`${small.status} ${small.body.toString()}`).toBe('200 len:1000');
    expect(resetting.requests.map((r) => r.body.length)).toEqual([1_000]);
    // One byte over the limit: streamed, so not replayable once sent.
    const large = await send(plane.port, { method: 'PUT', path: '/large', body: 'y'.repeat(1_001) });
    expect(`${large.status} ${errorCode(large)}`).toBe('502 WEIR_ERR_UPSTREAM_RESET');
    expect(lonely.count()).toBe(1);
  });

  it('retries a 503 on another endpoint under gateway-error and never leaks the 503 body', async () => {
    expect.assertions(3);
    const failing = await faulty((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('upstream says 503');
    });
    const good = await faulty((_req, res) => res.end('good'));
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [failing.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('gatewayError'), backoff: FAST })],
    });
    plane = await startPlane(spec, { metrics: metrics.asMetrics() });
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push((await send(plane.port, { path: '/g' })).body.toString());
    expect(bodies).toEqual(['good', 'good', 'good', 'good']);
    expect(failing.count()).toBeGreaterThanOrEqual(1);
    expect(metrics.eventsOf('api').filter((e) => e === 'retry:gateway-error')).toHaveLength(failing.count());
  });

  it('passes a 503 through to a POST, and when no retry is left', async () => {
    expect.assertions(3);
    const failing = await faulty((_req, res) => {
      res.writeHead(503);
      res.end('busy');
    });
    const spec = makeSpec({
      upstreams: [upstream('api', [failing.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retries: 2, retryOn: retryOn('gatewayError'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    const post = await send(plane.port, { method: 'POST', path: '/p', body: 'b' });
    expect(`${post.status} ${post.body.toString()}`).toBe('503 busy');
    const get = await send(plane.port, { path: '/g' });
    expect(`${get.status} ${get.body.toString()}`).toBe('503 busy');
    // One POST, then the GET and its two retries.
    expect(failing.count()).toBe(4);
  });

  it('does not retry when Retry-After asks for longer than the route can wait', async () => {
    expect.assertions(3);
    const failing = await faulty((_req, res) => {
      res.writeHead(503, { 'retry-after': '5' });
      res.end('later');
    });
    const good = await faulty((_req, res) => res.end('good'));
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [failing.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('gatewayError'), backoff: { baseMs: 25, maxMs: 250 } })],
    });
    plane = await startPlane(spec, { metrics: metrics.asMetrics() });
    const res = await send(plane.port, { path: '/g' });
    expect(`${res.status} ${res.headers['retry-after']}`).toBe('503 5');
    expect(good.count()).toBe(0);
    expect(metrics.eventsOf('api')).toEqual(['denied:timeout']);
  });

  it('waits out a short Retry-After before retrying', async () => {
    expect.assertions(2);
    const failing = await faulty((_req, res) => {
      res.writeHead(503, { 'retry-after': '0' });
      res.end('later');
    });
    const good = await faulty((_req, res) => res.end('good'));
    const spec = makeSpec({
      upstreams: [upstream('api', [failing.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('gatewayError'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    const res = await send(plane.port, { path: '/g' });
    expect(`${res.status} ${res.body.toString()}`).toBe('200 good');
    expect(failing.count()).toBe(1);
  });

  it('retries after a slow first byte hits the per-try timeout', async () => {
    expect.assertions(3);
    const slow = await faulty(() => {
      // Never answers: the per-try timeout decides.
    });
    const good = await faulty((_req, res) => res.end('good'));
    const spec = makeSpec({
      upstreams: [upstream('api', [slow.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('gatewayError'), perTryTimeoutMs: 100, backoff: FAST })],
    });
    plane = await startPlane(spec);
    const started = Date.now();
    const res = await send(plane.port, { path: '/slow' });
    expect(`${res.status} ${res.body.toString()}`).toBe('200 good');
    expect(slow.count()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up at the route total timeout, retries included', async () => {
    expect.assertions(3);
    const slow = await faulty(() => {
      // Never answers.
    });
    const slower = await faulty(() => {
      // Never answers.
    });
    const spec = makeSpec({
      upstreams: [upstream('api', [slow.port, slower.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retries: 10, retryOn: retryOn('gatewayError'), perTryTimeoutMs: 100, backoff: FAST }, 350)],
    });
    plane = await startPlane(spec);
    const started = Date.now();
    const res = await send(plane.port, { path: '/slow' });
    expect(res.status).toBe(504);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not retry a response that already started: the client connection is cut', async () => {
    expect.assertions(2);
    const breaking = await faulty((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.socket?.destroy());
    });
    const good = await faulty((_req, res) => res.end('good'));
    const spec = makeSpec({
      upstreams: [upstream('api', [breaking.port, good.port])],
      routes: [withRetry(forwardRoute('r', 'api'), { retries: 3, retryOn: retryOn('reset', 'serverError'), backoff: FAST })],
    });
    plane = await startPlane(spec);
    await expect(send(plane.port, { path: '/cut' })).rejects.toThrow();
    expect(good.count()).toBe(0);
  });

  it('caps concurrent retries with the retry budget under a storm', async () => {
    expect.assertions(5);
    const resetting = await faulty((req) => req.socket.resetAndDestroy());
    const held: (() => void)[] = [];
    let refused = 0;
    let allIn: () => void = () => undefined;
    const accounted = new Promise<void>((resolve) => (allIn = resolve));
    // Every request ends up either held by the second endpoint (first attempt or retry) or
    // refused a retry by the budget (answered 502 at once).
    const check = (): void => {
      if (held.length + refused === 40) allIn();
    };
    const holding = await faulty((_req, res) => {
      held.push(() => res.end('held'));
      check();
    });
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [resetting.port, holding.port], { pool: { connections: 0 } })],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('reset'), backoff: FAST })],
    });
    plane = await startPlane(spec, { metrics: metrics.asMetrics() });
    const port = plane.port;
    const responses = Array.from({ length: 40 }, (_, i) =>
      send(port, { path: `/storm/${i}` }).then((res) => {
        if (res.status === 502) {
          refused++;
          check();
        }
        return res;
      }),
    );
    await accounted;
    const events = metrics.eventsOf('api');
    const retried = events.filter((e) => e === 'retry:reset').length;
    const denied = events.filter((e) => e === 'denied:budget').length;
    for (const release of held.splice(0)) release();
    const statuses = (await Promise.all(responses)).map((r) => r.status);
    // Retries in flight never exceeded max(3, 20% of 40 requests in flight).
    expect(retried).toBeGreaterThanOrEqual(3);
    expect(retried).toBeLessThanOrEqual(8);
    expect(retried + denied).toBe(resetting.count());
    expect(denied).toBe(refused);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40 - refused);
  });
});
