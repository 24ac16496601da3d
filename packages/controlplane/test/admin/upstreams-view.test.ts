import { buildSpec } from '@weir/runtime';
import type { WorkerUpstreamStates } from '@weir/cluster/primary';
import type { WeirConfig } from '@weir/config';
import { upstreamsView } from '../../src/admin/index';

const config: WeirConfig = {
  listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
  routes: [
    { name: 'api', upstream: 'api' },
    { name: 'web', match: { hosts: ['web.example.com'] }, upstream: 'web' },
  ],
  upstreams: [
    {
      name: 'api',
      endpoints: [{ address: '127.0.0.1:9001' }, { address: '127.0.0.1:9002', weight: 3 }],
      healthCheck: { path: '/healthz', initialState: 'healthy' },
      circuitBreaker: { failureRatio: { threshold: 0.5 } },
    },
    { name: 'web', balancer: { policy: 'least_request' }, endpoints: [{ address: '127.0.0.1:9003' }] },
  ],
};

describe('upstreamsView (merge of worker answers)', () => {
  const spec = buildSpec(config);

  const answer = (index: number, api: { breaker: 'closed' | 'open' | 'half-open'; ejected: boolean[]; inFlight: number[] }): WorkerUpstreamStates => ({
    index,
    pid: 100 + index,
    version: spec.version,
    upstreams: [
      {
        name: 'api',
        breaker: api.breaker,
        endpoints: [
          { address: '127.0.0.1:9001', ejected: api.ejected[0] ?? false, inFlight: api.inFlight[0] ?? 0 },
          { address: '127.0.0.1:9002', ejected: api.ejected[1] ?? false, inFlight: api.inFlight[1] ?? 0 },
        ],
      },
      { name: 'web', breaker: null, endpoints: [{ address: '127.0.0.1:9003', ejected: false, inFlight: 4 }] },
    ],
  });

  it('merges per-endpoint state over workers, the worst breaker, and the primary\'s health', () => {
    const view = upstreamsView(
      spec,
      [
        { upstream: 'api', address: '127.0.0.1:9001', healthy: true },
        { upstream: 'api', address: '127.0.0.1:9002', healthy: false },
      ],
      [answer(0, { breaker: 'half-open', ejected: [true, false], inFlight: [2, 0] }), answer(1, { breaker: 'open', ejected: [true, true], inFlight: [1, 5] })],
    );
    expect(view).toEqual({
      version: spec.version,
      upstreams: [
        {
          name: 'api',
          balancer: 'round_robin',
          breaker: 'open',
          endpoints: [
            { address: '127.0.0.1:9001', weight: 1, health: 'healthy', ejectedWorkers: 2, workers: 2, inFlight: 3 },
            { address: '127.0.0.1:9002', weight: 3, health: 'unhealthy', ejectedWorkers: 1, workers: 2, inFlight: 5 },
          ],
        },
        {
          name: 'web',
          balancer: 'least_request',
          breaker: null,
          endpoints: [{ address: '127.0.0.1:9003', weight: 1, health: 'unchecked', ejectedWorkers: 0, workers: 2, inFlight: 8 }],
        },
      ],
    });
  });

  it('counts only the workers that answered, and falls back to the check\'s initial state', () => {
    const view = upstreamsView(spec, [], [answer(1, { breaker: 'closed', ejected: [false, false], inFlight: [0, 0] })]);
    expect(view.upstreams[0]?.endpoints.map((e) => [e.health, e.workers])).toEqual([
      ['healthy', 1],
      ['healthy', 1],
    ]);
    const none = upstreamsView(spec, [], []);
    expect(none.upstreams.map((u) => [u.breaker, u.endpoints.map((e) => e.workers)])).toEqual([
      ['closed', [0, 0]],
      [null, [0]],
    ]);
  });

  it('ignores endpoints and upstreams a worker reports that the running spec lacks', () => {
    const stale: WorkerUpstreamStates = {
      index: 0,
      pid: 100,
      version: 'v-old',
      upstreams: [{ name: 'api', breaker: 'open', endpoints: [{ address: '127.0.0.1:9999', ejected: true, inFlight: 7 }] }, { name: 'gone', breaker: null, endpoints: [] }],
    };
    const view = upstreamsView(spec, [], [stale]);
    expect(view.upstreams.map((u) => u.name)).toEqual(['api', 'web']);
    expect(view.upstreams[0]?.endpoints.map((e) => [e.workers, e.inFlight, e.ejectedWorkers])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});
