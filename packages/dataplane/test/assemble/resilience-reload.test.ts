import type { Spec, UpstreamSpec } from '@weir/runtime';
import { errorCode, send, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FakeClock, FaultyUpstream } from '../helpers/faults';
import { DEFAULT_BREAKER, directRoute, forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

const RATIO: UpstreamSpec['breaker'] = {
  ...DEFAULT_BREAKER,
  failureRatio: { threshold: 0.5, minimumRequests: 2, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 1 },
};

const OUTLIER: NonNullable<UpstreamSpec['outlier']> = {
  consecutive5xx: 2,
  consecutiveGatewayFailure: 2,
  consecutiveLocalOriginFailure: 2,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  successRate: null,
};

/**
 * DESIGN.md section 2, "Reconciliation": breaker, concurrency and outlier state are keyed by
 * stable identity, so a config change that does not touch an upstream keeps its breaker open,
 * its ejections and its in-flight counts; a change to the settings that shape them starts afresh.
 */
describe('resilience state across reloads', () => {
  let plane: TestPlane | null = null;
  const ups: FaultyUpstream[] = [];

  afterEach(async () => {
    if (plane !== null) await plane.close();
    plane = null;
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  async function reload(p: TestPlane, spec: Spec): Promise<void> {
    await p.plane.prepare(spec);
    p.plane.commit();
  }

  /** `base` plus one unrelated direct-response route. */
  function withExtraRoute(base: Spec): Spec {
    return makeSpec({
      upstreams: base.upstreams,
      routes: [directRoute('extra', 200, 'extra', { match: match({ path: { kind: 'exact', value: '/extra' } }) }), ...base.routes],
    });
  }

  it('keeps an open breaker open across an unrelated change, and resets it when its settings change', async () => {
    expect.assertions(6);
    const down = await FaultyUpstream.start((_req, res) => res.end('up'));
    ups.push(down);
    down.mode = 'reset';
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({ upstreams: [upstream('api', [down.port], { breaker: RATIO })], routes: [forwardRoute('r', 'api')] });
    const p = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    plane = p;
    await send(p.port, { path: '/' });
    await send(p.port, { path: '/' });
    expect(errorCode(await send(p.port, { path: '/' }))).toBe('WEIR_ERR_BREAKER_OPEN');

    await reload(p, withExtraRoute(spec));
    expect((await send(p.port, { path: '/extra' })).body.toString()).toBe('extra');
    expect(errorCode(await send(p.port, { path: '/' }))).toBe('WEIR_ERR_BREAKER_OPEN');
    expect(down.connections).toBe(2);
    expect(metrics.eventsOf('api')).toEqual(['breaker:0', 'breaker:2']);

    // A different openMs is a different breaker: it starts closed and lets the request through.
    const changed = { ...RATIO, failureRatio: { ...RATIO.failureRatio!, openMs: 6_000 } };
    await reload(p, makeSpec({ upstreams: [upstream('api', [down.port], { breaker: changed })], routes: spec.routes }));
    await send(p.port, { path: '/' });
    expect(down.connections).toBe(3);
  });

  it('keeps ejections and the detector across an unrelated change', async () => {
    expect.assertions(4);
    const bad = await FaultyUpstream.start((_req, res) => {
      res.writeHead(502);
      res.end();
    });
    const good = await FaultyUpstream.start((_req, res) => res.end('good'));
    ups.push(bad, good);
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({ upstreams: [upstream('api', [bad.port, good.port], { outlier: OUTLIER })], routes: [forwardRoute('r', 'api')] });
    const p = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    plane = p;
    for (let i = 0; i < 6; i++) await send(p.port, { path: '/' });
    expect(bad.count()).toBe(2);

    await reload(p, withExtraRoute(spec));
    for (let i = 0; i < 6; i++) await send(p.port, { path: '/' });
    expect(bad.count()).toBe(2);
    // The same detector: one more run of failures after the ejection ends doubles its time.
    clock.t += 30_000;
    p.plane.tickOutliers();
    for (let i = 0; i < 6; i++) await send(p.port, { path: '/' });
    expect(bad.count()).toBe(4);
    expect(p.plane.endpointState('api', `127.0.0.1:${bad.port}`)?.ejectedUntil).toBe(clock.t + 60_000);
  });

  it('keeps in-flight counts across a reload, so limits stay exact', async () => {
    expect.assertions(3);
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const up = await FaultyUpstream.start((req, res) => {
      if (req.url !== '/held') {
        res.end('ok');
        return;
      }
      release = () => res.end('done');
      arrived();
    });
    ups.push(up);
    const spec = makeSpec({
      upstreams: [upstream('api', [up.port], { breaker: { ...DEFAULT_BREAKER, maxRequests: 1 } })],
      routes: [forwardRoute('r', 'api')],
    });
    const p = await startPlane(spec);
    plane = p;
    const running = send(p.port, { path: '/held' });
    await first;
    await reload(p, withExtraRoute(spec));
    // The request admitted by the old runtime still counts against the new runtime's limit.
    expect(errorCode(await send(p.port, { path: '/' }))).toBe('WEIR_ERR_UPSTREAM_OVERFLOW');
    release();
    expect((await running).status).toBe(200);
    expect((await send(p.port, { path: '/' })).body.toString()).toBe('ok');
  });
});
