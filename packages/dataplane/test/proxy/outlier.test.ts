import { closedPort } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FakeClock, FaultyUpstream, retryOn, withRetry } from '../helpers/faults';
import { TEST_OUTLIER, forwardRoute, makeSpec, upstream } from '../helpers/spec';

const OUTLIER = TEST_OUTLIER;

/** Passive outlier detection through the whole pipeline, on a controlled clock. */
describe('proxy outlier ejection', () => {
  let plane: TestPlane | null = null;
  const ups: FaultyUpstream[] = [];

  afterEach(async () => {
    if (plane !== null) await plane.close();
    plane = null;
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  it('ejects an endpoint that answers 503, sends it nothing while ejected, and brings it back', async () => {
    expect.assertions(6);
    const bad = await FaultyUpstream.start((_req, res) => {
      res.writeHead(503);
      res.end('bad');
    });
    const good1 = await FaultyUpstream.start((_req, res) => res.end('good'));
    const good2 = await FaultyUpstream.start((_req, res) => res.end('good'));
    ups.push(bad, good1, good2);
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [bad.port, good1.port, good2.port], { outlier: OUTLIER })],
      routes: [withRetry(forwardRoute('r', 'api'), { retries: 2, retryOn: retryOn('gatewayError'), backoff: { baseMs: 1, maxMs: 2 } })],
    });
    plane = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await send(plane.port, { path: '/' })).status);
    // Retries hide the bad endpoint from clients; after 3 consecutive 503s it gets nothing.
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(bad.count()).toBe(3);
    expect(metrics.eventsOf('api').filter((e) => e.startsWith('eject:'))).toEqual(['eject:consecutive-gateway-failure']);
    expect(plane.plane.endpointState('api', `127.0.0.1:${bad.port}`)?.ejectedUntil).toBe(clock.t + 30_000);

    // Thirty seconds later it is back in rotation (and, still failing, ejected for twice as long).
    clock.t += 30_000;
    plane.plane.tickOutliers();
    for (let i = 0; i < 12; i++) await send(plane.port, { path: '/' });
    expect(bad.count()).toBe(6);
    expect(plane.plane.endpointState('api', `127.0.0.1:${bad.port}`)?.ejectedUntil).toBe(clock.t + 60_000);
  });

  it('ejects an endpoint that refuses connections, counting local-origin failures', async () => {
    expect.assertions(3);
    const dead = await closedPort();
    const good = await FaultyUpstream.start((_req, res) => res.end('good'));
    ups.push(good);
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [dead, good.port], { outlier: { ...OUTLIER, maxEjectionPercent: 50 } })],
      routes: [withRetry(forwardRoute('r', 'api'), { retryOn: retryOn('connectFailure'), backoff: { baseMs: 1, maxMs: 2 } })],
    });
    plane = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await send(plane.port, { path: '/' })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(metrics.eventsOf('api').filter((e) => e.startsWith('eject:'))).toEqual(['eject:consecutive-local-origin-failure']);
    expect(metrics.upstreamErrors.filter((e) => e.code === 'WEIR_ERR_UPSTREAM_CONNECT')).toHaveLength(2);
  });
});
