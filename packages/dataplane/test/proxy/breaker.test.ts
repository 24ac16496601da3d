import type { ServerResponse } from 'node:http';
import type { UpstreamSpec } from '@weir/runtime';
import { errorCode, send, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FakeClock, FaultyUpstream } from '../helpers/faults';
import { DEFAULT_BREAKER, forwardRoute, makeSpec, upstream } from '../helpers/spec';

const RATIO: UpstreamSpec['breaker'] = {
  ...DEFAULT_BREAKER,
  failureRatio: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 1 },
};

/**
 * Circuit breaking through the whole pipeline: the failure-ratio breaker (a dead upstream costs
 * no connection attempt while open) and the concurrency limits (fail fast with 503).
 */
describe('proxy circuit breaking', () => {
  let plane: TestPlane | null = null;
  const ups: FaultyUpstream[] = [];

  afterEach(async () => {
    if (plane !== null) await plane.close();
    plane = null;
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  it('opens on a dead upstream: no connection attempt reaches it while open, then probes and closes', async () => {
    expect.assertions(10);
    const a = await FaultyUpstream.start((_req, res) => res.end('a'));
    const b = await FaultyUpstream.start((_req, res) => res.end('b'));
    ups.push(a, b);
    a.mode = 'reset';
    b.mode = 'reset';
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({ upstreams: [upstream('api', [a.port, b.port], { breaker: RATIO })], routes: [forwardRoute('r', 'api')] });
    plane = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    const port = plane.port;
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(errorCode(await send(port, { path: '/' })));
    expect(codes).toEqual(Array(4).fill('WEIR_ERR_UPSTREAM_CONNECT'));
    const attempts = a.connections + b.connections;
    expect(attempts).toBe(4);

    // Open: 20 requests, all 503 WEIR_ERR_BREAKER_OPEN, not one connection attempt.
    const open = await Promise.all(Array.from({ length: 20 }, () => send(port, { path: '/' })));
    expect(open.map((r) => `${r.status} ${r.headers['x-weir-error']}`)).toEqual(Array(20).fill('503 WEIR_ERR_BREAKER_OPEN'));
    expect(a.connections + b.connections).toBe(attempts);

    // openMs later: one probe goes out, fails, and the breaker opens again.
    clock.t += 5_000;
    expect((await send(port, { path: '/' })).status).toBe(502);
    expect(a.connections + b.connections).toBe(attempts + 1);
    expect((await send(port, { path: '/' })).status).toBe(503);
    expect(a.connections + b.connections).toBe(attempts + 1);

    // The upstream recovers: the next probe succeeds and closes the breaker.
    a.mode = 'http';
    b.mode = 'http';
    clock.t += 5_000;
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push((await send(port, { path: '/' })).body.toString());
    expect(bodies.every((body) => body === 'a' || body === 'b')).toBe(true);
    expect(metrics.eventsOf('api')).toEqual(['breaker:0', 'breaker:2', 'breaker:1', 'breaker:2', 'breaker:1', 'breaker:0']);
  });

  it('answers 503 WEIR_ERR_UPSTREAM_OVERFLOW above maxRequests, without touching the upstream', async () => {
    expect.assertions(4);
    const held: ServerResponse[] = [];
    let arrived: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const up = await FaultyUpstream.start((_req, res) => {
      held.push(res);
      arrived();
    });
    ups.push(up);
    const spec = makeSpec({
      upstreams: [upstream('api', [up.port], { breaker: { ...DEFAULT_BREAKER, maxRequests: 1 } })],
      routes: [forwardRoute('r', 'api')],
    });
    plane = await startPlane(spec);
    const pendingResponse = send(plane.port, { path: '/held' });
    await first;
    const refused = await send(plane.port, { path: '/refused' });
    expect(refused.status).toBe(503);
    expect(errorCode(refused)).toBe('WEIR_ERR_UPSTREAM_OVERFLOW');
    expect(up.count()).toBe(1);
    held[0]!.end('done');
    expect((await pendingResponse).status).toBe(200);
  });

  it('answers 503 WEIR_ERR_UPSTREAM_OVERFLOW while maxPendingRequests requests wait for a connection', async () => {
    expect.assertions(3);
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const up = await FaultyUpstream.start((req, res) => {
      if (req.url !== '/running') {
        res.end('ok');
        return;
      }
      release = () => res.end('done');
      arrived();
    });
    ups.push(up);
    const spec = makeSpec({
      upstreams: [upstream('api', [up.port], { pool: { connections: 1 }, breaker: { ...DEFAULT_BREAKER, maxPendingRequests: 1 } })],
      routes: [forwardRoute('r', 'api')],
    });
    const p = await startPlane(spec);
    plane = p;
    const running = send(p.port, { path: '/running' });
    await first;
    // Queued behind the only connection: one pending request. It is dispatched as soon as the
    // proxy has read it, which the in-flight count shows.
    const queued = send(p.port, { path: '/queued' });
    for (let i = 0; i < 1_000 && p.plane.stats().inFlight < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    const refused = await send(p.port, { path: '/refused' });
    expect(`${refused.status} ${errorCode(refused)}`).toBe('503 WEIR_ERR_UPSTREAM_OVERFLOW');
    release();
    expect((await running).status).toBe(200);
    expect((await queued).body.toString()).toBe('ok');
  });
});
