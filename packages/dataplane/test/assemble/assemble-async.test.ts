import type { RouteSpec, Spec } from '@weir/runtime';
import { ASSEMBLE_ROUTES_PER_SLICE, assemble, assembleAsync, EndpointRegistry, type WorkerRuntime } from '../../src/index';
import type { DataplaneMetrics } from '@weir/obs';
import { FakeMetrics } from '../helpers/fake-metrics';
import { directRoute, forwardRoute, listener, makeSpec, match, upstream, DEFAULT_BREAKER } from '../helpers/spec';

/**
 * Issue 15: a worker assembles a big runtime in slices (`assembleAsync`) so its event loop keeps
 * serving. The result must be exactly `assemble`'s.
 */

/** A spec using every feature assemble compiles: listeners, hosts, paths, headers, splits, policies. */
function richSpec(extraRoutes = 0): Spec {
  const routes: RouteSpec[] = [
    directRoute('health', 204, '', { listeners: ['internal'], match: match({ path: { kind: 'exact', value: '/h' } }), headers: [['x-a', '1'], ['content-length', '9']] }),
    forwardRoute('split', [
      { upstream: 'api', weight: 3 },
      { upstream: 'web', weight: 1 },
    ], { match: match({ hosts: ['api.example.com', '*.example.org'], path: { kind: 'prefix', value: '/api' }, methods: ['GET', 'POST'] }), requestTimeoutMs: 1234 }),
    forwardRoute('regex', 'hashed', { match: match({ path: { kind: 'regex', value: '/items/[0-9]+' }, headers: [{ name: 'x-tier', kind: 'exact', value: 'gold' }, { name: 'x-no', kind: 'absent' }] }) }),
    forwardRoute('checked', 'checked', { listeners: ['public'], match: match({ path: { kind: 'prefix', value: '/c/' } }) }),
  ];
  for (let i = 0; i < extraRoutes; i++) {
    routes.push(forwardRoute(`r${i}`, i % 2 === 0 ? 'api' : 'web', { match: match({ hosts: [`h${i % 37}.example.com`], path: { kind: 'prefix', value: `/svc${i}` } }) }));
  }
  routes.push(directRoute('catch-all', 404, 'none'));
  return makeSpec({
    version: 'v-rich',
    listeners: [listener('public'), listener('internal')],
    upstreams: [
      upstream('api', [9001, 9002], { balancer: { policy: 'least_request' } }),
      upstream('web', [9003]),
      upstream('hashed', [9004, 9005, 9006], { balancer: { policy: 'ring_hash', hashOn: { kind: 'header', name: 'x-user' }, panicThresholdPercent: 0 } }),
      upstream('checked', [9007, 9008], {
        healthCheck: { path: '/hc', intervalMs: 1000, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 2, expectedStatuses: [[200, 299]], initialState: 'unhealthy' },
        outlier: { consecutive5xx: 5, consecutiveGatewayFailure: 5, consecutiveLocalOriginFailure: 5, intervalMs: 1000, baseEjectionMs: 1000, maxEjectionMs: 10_000, maxEjectionPercent: 50, successRate: null },
        breaker: { ...DEFAULT_BREAKER, failureRatio: { halfOpenProbes: 1, minimumRequests: 10, openMs: 1000, threshold: 0.5, windowMs: 1000 } },
      }),
    ],
    routes,
  });
}

/**
 * Everything a runtime holds, as plain data (a deep toEqual of two runtimes compares closures by
 * identity and walks undici internals): upstream settings and policies, per route its compiled
 * parts, per listener the router's routes in position order and its host buckets.
 */
function project(runtime: WorkerRuntime): unknown {
  const kind = (value: unknown): string | null => (value === null || value === undefined ? null : (value as object).constructor.name);
  const upstreams = [...runtime.upstreams.values()].map((u) => ({
    name: u.name,
    addresses: u.addresses,
    pools: u.pools.length,
    requestTimeoutMs: u.requestTimeoutMs,
    idleTimeoutMs: u.idleTimeoutMs,
    balancer: kind(u.balancer),
    hasher: kind(u.hasher),
    breaker: kind(u.breaker),
    breakerKey: u.breakerKey,
    outlier: kind(u.outlier),
    outlierKey: u.outlierKey,
    states: u.states.map((s) => ({ ...s })),
  }));
  const listeners = [...runtime.listeners.entries()].map(([name, l]) => {
    const router = l.router as unknown as { routes: { position: number; value: { name: string; direct: unknown; plan: unknown; targets: { upstream: { name: string }; headersTimeout: number; metric: unknown }[]; metric: unknown; retry: unknown; totalTimeoutMs: number } }[]; exactHosts: Map<string, unknown>; wildcardHosts: Map<string, unknown> };
    return {
      name,
      needsHeaders: l.needsHeaders,
      exact: [...router.exactHosts.keys()],
      wildcard: [...router.wildcardHosts.keys()],
      routes: router.routes.map((r) => ({
        position: r.position,
        name: r.value.name,
        direct: r.value.direct,
        plan: kind(r.value.plan),
        targets: r.value.targets.map((t) => ({ upstream: t.upstream.name, headersTimeout: t.headersTimeout, metric: t.metric !== null })),
        metric: r.value.metric !== null,
        retry: r.value.retry,
        totalTimeoutMs: r.value.totalTimeoutMs,
      })),
    };
  });
  return { version: runtime.version, arm: runtime.arm, keys: runtime.endpointKeys, noRoute: runtime.noRouteMetric !== null, upstreams, listeners, frozen: Object.isFrozen(runtime) };
}

const clock = { now: (): number => 1000 };
const random = (): number => 0.25;
const noYield = (): Promise<void> => Promise.resolve();

describe('assembleAsync', () => {
  const registries: EndpointRegistry[] = [];
  const registry = (): EndpointRegistry => {
    const r = new EndpointRegistry();
    registries.push(r);
    return r;
  };

  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.close(true)));
  });

  it('builds exactly what assemble builds, from scratch and over a previous runtime', async () => {
    expect.assertions(4);
    const spec = richSpec(1200);
    const syncMetrics = new FakeMetrics();
    const asyncMetrics = new FakeMetrics();
    const syncDeps = { registry: registry(), metrics: syncMetrics as unknown as DataplaneMetrics, clock, random, arm: 'candidate' as const };
    const asyncDeps = { registry: registry(), metrics: asyncMetrics as unknown as DataplaneMetrics, clock, random, arm: 'candidate' as const };
    const sync = assemble(spec, null, syncDeps);
    const async = await assembleAsync(spec, null, asyncDeps, noYield);
    expect(project(async)).toEqual(project(sync));
    expect(asyncMetrics.handles).toEqual(syncMetrics.handles);
    const next = richSpec(700);
    const sync2 = assemble(next, sync, syncDeps);
    const async2 = await assembleAsync(next, async, asyncDeps, noYield);
    expect(project(async2)).toEqual(project(sync2));
    expect(async2.upstreams.get('checked')?.breaker).toBe(async.upstreams.get('checked')?.breaker);
  });

  it('routes requests the same way', async () => {
    expect.assertions(5);
    const spec = richSpec(50);
    const a = assemble(spec, null, { registry: registry(), metrics: null });
    const b = await assembleAsync(spec, null, { registry: registry(), metrics: null });
    const cases: [string, string | undefined, string, Record<string, string>][] = [
      ['public', 'api.example.com', '/api/x', {}],
      ['public', 'x.example.org', '/items/12', { 'x-tier': 'gold' }],
      ['internal', undefined, '/h', {}],
      ['public', 'h3.example.com', '/svc3/a', {}],
      ['public', 'nope', '/zzz', {}],
    ];
    for (const [l, host, path, headers] of cases) {
      expect(b.listeners.get(l)!.router.match(host, path, 'GET', headers)?.name).toBe(a.listeners.get(l)!.router.match(host, path, 'GET', headers)?.name);
    }
  });

  it('yields between slices of at most ASSEMBLE_ROUTES_PER_SLICE routes', async () => {
    expect.assertions(3);
    const n = 3 * ASSEMBLE_ROUTES_PER_SLICE + 10;
    const spec = richSpec(n);
    const metrics = new FakeMetrics();
    const perSlice: number[] = [];
    let seen = 0;
    const yieldFn = (): Promise<void> => {
      perSlice.push(metrics.handles.length - seen);
      seen = metrics.handles.length;
      return Promise.resolve();
    };
    const runtime = await assembleAsync(spec, null, { registry: registry(), metrics: metrics as unknown as DataplaneMetrics }, yieldFn);
    const routes = spec.routes.length;
    // Route slices (one handle per forward target or direct route) and router slices per listener.
    expect(Math.max(...perSlice)).toBeLessThanOrEqual(ASSEMBLE_ROUTES_PER_SLICE + 1);
    expect(perSlice.length).toBeGreaterThanOrEqual(3 * Math.ceil(routes / ASSEMBLE_ROUTES_PER_SLICE));
    expect(runtime.listeners.get('public')!.router.size).toBe(routes - 1);
  });

  it('releases every pool and endpoint state when cancelled between slices', async () => {
    expect.assertions(3);
    const r = registry();
    const stop = new Error('aborted');
    let calls = 0;
    const yieldFn = (): Promise<void> => (++calls === 4 ? Promise.reject(stop) : Promise.resolve());
    await expect(assembleAsync(richSpec(2000), null, { registry: r, metrics: null }, yieldFn)).rejects.toBe(stop);
    expect(calls).toBe(4);
    expect(r.size).toBe(0);
  });

  it('releases what it acquired when assembly fails, with WEIR_ERR_INTERNAL', async () => {
    expect.assertions(2);
    const r = registry();
    const broken = makeSpec({ upstreams: [upstream('api', [9001])], routes: [forwardRoute('a', 'api'), forwardRoute('b', 'missing')] });
    await expect(assembleAsync(broken, null, { registry: r, metrics: null }, noYield)).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
    expect(r.size).toBe(0);
  });

  it('keeps a previous runtime usable when a build over it is cancelled', async () => {
    expect.assertions(2);
    const r = registry();
    const first: WorkerRuntime = await assembleAsync(richSpec(10), null, { registry: r, metrics: null }, noYield);
    const held = r.size;
    await expect(assembleAsync(richSpec(1500), first, { registry: r, metrics: null }, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(r.size).toBe(held);
  });
});
