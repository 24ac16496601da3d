import { assemble, EndpointRegistry, endpointKey } from '../../src/index';
import { FakeMetrics } from '../helpers/fake-metrics';
import { directRoute, forwardRoute, listener, makeSpec, match, upstream } from '../helpers/spec';

describe('assemble', () => {
  let registry: EndpointRegistry;

  beforeEach(() => {
    registry = new EndpointRegistry();
  });

  afterEach(async () => {
    await registry.close(true);
  });

  const spec = makeSpec({
    listeners: [listener('public'), listener('internal')],
    upstreams: [upstream('api', [9001, 9002]), upstream('web', [9003])],
    routes: [
      directRoute('health', 204, '', { listeners: ['internal'], match: match({ path: { kind: 'exact', value: '/h' } }) }),
      forwardRoute('split', [
        { upstream: 'api', weight: 3 },
        { upstream: 'web', weight: 1 },
      ]),
    ],
  });

  it('builds one router per listener over the routes that apply to it', () => {
    expect.assertions(4);
    const runtime = assemble(spec, null, { registry, metrics: null });
    const internal = runtime.listeners.get('internal')!;
    const pub = runtime.listeners.get('public')!;
    expect(internal.router.match(undefined, '/h', 'GET', {})?.name).toBe('health');
    expect(pub.router.match(undefined, '/h', 'GET', {})?.name).toBe('split');
    expect(pub.needsHeaders).toBe(false);
    expect(Object.isFrozen(runtime)).toBe(true);
  });

  it('precomputes direct responses, traffic plans, balancers and headers timeouts', () => {
    expect.assertions(8);
    let r = 0;
    const runtime = assemble(spec, null, { registry, metrics: null, random: () => (r++ % 4) / 4 });
    const health = runtime.listeners.get('internal')!.router.match(undefined, '/h', 'GET', {})!;
    expect(health.direct?.status).toBe(204);
    expect(health.direct?.headers).toEqual(['content-type', 'text/plain; charset=utf-8', 'content-length', '0']);
    const split = runtime.listeners.get('public')!.router.match(undefined, '/x', 'GET', {})!;
    expect(split.direct).toBeNull();
    expect(split.targets.map((t) => t.upstream.name)).toEqual(['api', 'web']);
    // Four evenly spaced random values land 3:1 on the split's groups.
    const picks = [0, 1, 2, 3].map(() => split.plan!.pick()).sort();
    expect(picks).toEqual([0, 0, 0, 1]);
    expect(split.targets[0]!.upstream.pools).toHaveLength(2);
    expect(split.targets[0]!.upstream.balancer).not.toBeNull();
    expect(split.targets[1]!.headersTimeout).toBe(10_000);
  });

  it('creates metric handles once per route and upstream', () => {
    expect.assertions(1);
    const metrics = new FakeMetrics();
    assemble(spec, null, { registry, metrics: metrics.asMetrics() });
    expect(metrics.handles.sort()).toEqual(['health|', 'split|api', 'split|web', '|'].sort());
  });

  it('shares pools between runtimes by endpoint identity and releases them on retire', () => {
    expect.assertions(6);
    const v1 = assemble(spec, null, { registry, metrics: null });
    const changed = makeSpec({
      listeners: spec.listeners,
      upstreams: [upstream('api', [9001, 9002]), upstream('web', [9003], { timeouts: { connectMs: 1 } })],
      routes: spec.routes,
    });
    const v2 = assemble(changed, v1, { registry, metrics: null });
    expect(v2.upstreams.get('api')!.pools[0]).toBe(v1.upstreams.get('api')!.pools[0]);
    expect(v2.upstreams.get('web')!.pools[0]).not.toBe(v1.upstreams.get('web')!.pools[0]);
    expect(registry.size).toBe(4);
    v1.retire();
    v1.retire();
    expect(registry.size).toBe(3);
    expect(registry.get(endpointKey(spec.upstreams[0]!, spec.upstreams[0]!.endpoints[0]!))).toBe(
      v2.upstreams.get('api')!.pools[0],
    );
    v2.retire();
    expect(registry.size).toBe(0);
  });

  it('releases what it acquired when assembly fails', () => {
    expect.assertions(2);
    const broken = makeSpec({ upstreams: [upstream('api', [9001])], routes: [forwardRoute('r', 'missing')] });
    expect(() => assemble(broken, null, { registry, metrics: null })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(registry.size).toBe(0);
  });
});
