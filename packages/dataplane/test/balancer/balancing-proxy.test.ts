import type { UpstreamSpec } from '@weir/runtime';
import { startPlane, send, type TestPlane } from '../helpers/plane';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';

/** Three upstreams answering their own index. */
async function three(): Promise<TestUpstream[]> {
  return Promise.all([0, 1, 2].map((i) => startUpstream((_req, res) => res.end(String(i)))));
}

describe('balancing through the proxy', () => {
  let servers: TestUpstream[] = [];
  let plane: TestPlane | null = null;

  afterEach(async () => {
    await plane?.close();
    plane = null;
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  async function serve(overrides: Parameters<typeof upstream>[2]): Promise<TestPlane> {
    servers = await three();
    const u: UpstreamSpec = upstream('api', servers.map((s) => s.port), overrides);
    plane = await startPlane(makeSpec({ upstreams: [u], routes: [forwardRoute('api', 'api')] }));
    return plane;
  }

  async function bodies(port: number, n: number, headers: Record<string, string> = {}): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await send(port, { headers })).body.toString());
    return out;
  }

  it('sends the same header value to the same endpoint with ring hash', async () => {
    expect.assertions(2);
    const p = await serve({ balancer: { policy: 'ring_hash', hashOn: { kind: 'header', name: 'x-user' } } });
    const alice = await bodies(p.port, 6, { 'x-user': 'alice' });
    expect(new Set(alice).size).toBe(1);
    const users = await Promise.all(Array.from({ length: 30 }, (_, i) => send(p.port, { headers: { 'x-user': `user-${i}` } })));
    expect(new Set(users.map((r) => r.body.toString())).size).toBeGreaterThan(1);
  });

  it('skips an endpoint the primary reports unhealthy, and takes it back when healthy again', async () => {
    expect.assertions(3);
    const check = { path: '/healthz', intervalMs: 1000, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, expectedStatuses: [[200, 399]] as const, initialState: 'healthy' as const };
    const p = await serve({ healthCheck: check });
    const address = `127.0.0.1:${servers[1]!.port}`;
    p.plane.health([{ upstream: 'api', address, healthy: false }]);
    expect((await bodies(p.port, 12)).filter((b) => b === '1')).toEqual([]);
    p.plane.health([{ upstream: 'api', address, healthy: true }, { upstream: 'gone', address: '127.0.0.1:1', healthy: false }]);
    expect((await bodies(p.port, 12)).filter((b) => b === '1')).toHaveLength(4);
    // Every endpoint down: below the panic threshold, so traffic spreads over all of them.
    p.plane.health(servers.map((s) => ({ upstream: 'api', address: `127.0.0.1:${s.port}`, healthy: false })));
    expect(new Set(await bodies(p.port, 6)).size).toBe(3);
  });

  it('answers 503 WEIR_ERR_NO_ENDPOINT when nothing is available and panic mode is off', async () => {
    expect.assertions(2);
    const check = { path: '/healthz', intervalMs: 1000, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, expectedStatuses: [[200, 399]] as const, initialState: 'unhealthy' as const };
    const p = await serve({ healthCheck: check, balancer: { panicThresholdPercent: 0 } });
    const res = await send(p.port);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body.toString()).error.code).toBe('WEIR_ERR_NO_ENDPOINT');
  });

  it('keeps endpoint health across an unrelated reload, and starts a re-added endpoint afresh', async () => {
    expect.assertions(4);
    const check = { path: '/healthz', intervalMs: 1000, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, expectedStatuses: [[200, 399]] as const, initialState: 'healthy' as const };
    const p = await serve({ healthCheck: check });
    const ports = servers.map((s) => s.port);
    const address = `127.0.0.1:${ports[1]!}`;
    p.plane.health([{ upstream: 'api', address, healthy: false }]);
    const apply = async (spec: ReturnType<typeof makeSpec>): Promise<void> => {
      await p.plane.prepare(spec);
      p.plane.commit();
    };
    // An unrelated change: a second route. Same upstream, same endpoint state.
    await apply(makeSpec({ upstreams: [upstream('api', ports, { healthCheck: check })], routes: [forwardRoute('other', 'api', { match: { hosts: ['other'], path: { kind: 'any' }, methods: [], headers: [] } }), forwardRoute('api', 'api')] }));
    expect(p.plane.endpointState('api', address)?.healthy).toBe(false);
    expect((await bodies(p.port, 9)).filter((b) => b === '1')).toEqual([]);
    // Removed, then added back: its state went with its last runtime; it starts as initialState.
    await apply(makeSpec({ upstreams: [upstream('api', [ports[0]!, ports[2]!], { healthCheck: check })], routes: [forwardRoute('api', 'api')] }));
    expect(p.plane.endpointState('api', address)).toBeUndefined();
    await apply(makeSpec({ upstreams: [upstream('api', ports, { healthCheck: check })], routes: [forwardRoute('api', 'api')] }));
    expect(p.plane.endpointState('api', address)?.healthy).toBe(true);
  });

  it('ignores health results for an upstream without active checks', async () => {
    expect.assertions(1);
    const p = await serve({});
    p.plane.health([{ upstream: 'api', address: `127.0.0.1:${servers[0]!.port}`, healthy: false }]);
    expect((await bodies(p.port, 3)).sort()).toEqual(['0', '1', '2']);
  });

  it('counts in-flight requests per endpoint for least request, back to zero afterwards', async () => {
    expect.assertions(2);
    const p = await serve({ balancer: { policy: 'least_request' } });
    const seen = await Promise.all(Array.from({ length: 30 }, () => send(p.port)));
    expect(new Set(seen.map((r) => r.body.toString())).size).toBe(3);
    expect(servers.map((s) => p.plane.endpointState('api', `127.0.0.1:${s.port}`)?.active)).toEqual([0, 0, 0]);
  });
});
