import type { WeirConfig } from '@weir/config';
import { buildSpec } from '@weir/runtime';
import type { ForwardActionSpec } from '@weir/runtime';
import { defaultResilienceFields, defaultRetryFields, minimalConfig } from '../fixtures';

function withUpstream(extra: Partial<NonNullable<WeirConfig['upstreams']>[number]>): WeirConfig {
  const base = minimalConfig();
  return { ...base, upstreams: [{ ...base.upstreams![0]!, ...extra }] };
}

describe('buildSpec: upstream resilience (issue 4)', () => {
  it('fills every default of an upstream without resilience settings', () => {
    const u = buildSpec(minimalConfig()).upstreams[0]!;
    expect({ balancer: u.balancer, healthCheck: u.healthCheck, outlier: u.outlier, breaker: u.breaker }).toEqual(defaultResilienceFields);
  });

  it('fills health check defaults and copies explicit values', () => {
    expect(buildSpec(withUpstream({ healthCheck: {} })).upstreams[0]!.healthCheck).toEqual({
      path: '/healthz',
      intervalMs: 5000,
      jitterMs: 500,
      timeoutMs: 2000,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      expectedStatuses: [[200, 399]],
      initialState: 'unhealthy',
    });
    const explicit = buildSpec(withUpstream({ healthCheck: { path: '/h', expectedStatuses: [[204, 204]], initialState: 'healthy' } })).upstreams[0]!.healthCheck;
    expect(explicit).toMatchObject({ path: '/h', expectedStatuses: [[204, 204]], initialState: 'healthy' });
  });

  it('lower-cases a hash header, keeps a cookie name, and drops hashOn for other policies', () => {
    const header = buildSpec(withUpstream({ balancer: { policy: 'maglev', hashOn: { header: 'X-User' } } })).upstreams[0]!.balancer;
    expect(header).toEqual({ policy: 'maglev', hashOn: { kind: 'header', name: 'x-user' }, panicThresholdPercent: 50 });
    const cookie = buildSpec(withUpstream({ balancer: { policy: 'ring_hash', hashOn: { cookie: 'SID' } } })).upstreams[0]!.balancer;
    expect(cookie.hashOn).toEqual({ kind: 'cookie', name: 'SID' });
    const client = buildSpec(withUpstream({ balancer: { policy: 'ring_hash', hashOn: { clientAddress: true } } })).upstreams[0]!.balancer;
    expect(client.hashOn).toEqual({ kind: 'clientAddress' });
    expect(buildSpec(withUpstream({ balancer: { policy: 'random', panicThresholdPercent: 0 } })).upstreams[0]!.balancer).toEqual({ policy: 'random', hashOn: null, panicThresholdPercent: 0 });
  });

  it('turns outlier detection off with enabled: false, and success rate on when present', () => {
    expect(buildSpec(withUpstream({ outlierDetection: { enabled: false } })).upstreams[0]!.outlier).toBeNull();
    const outlier = buildSpec(withUpstream({ outlierDetection: { consecutive5xx: 0, successRate: { requestVolume: 10 } } })).upstreams[0]!.outlier;
    expect(outlier).toMatchObject({ consecutive5xx: 0, consecutiveGatewayFailure: 5, successRate: { minimumHosts: 5, requestVolume: 10, stdevFactor: 1.9 } });
  });

  it('builds the breaker with its budget and optional failure ratio', () => {
    const breaker = buildSpec(withUpstream({ circuitBreaker: { maxRequests: 10, retryBudget: { percent: 50 }, failureRatio: { openMs: 100 } } })).upstreams[0]!.breaker;
    expect(breaker).toEqual({
      maxConnections: 1024,
      maxPendingRequests: 1024,
      maxRequests: 10,
      maxRetries: 1024,
      retryBudget: { percent: 50, minRetries: 3 },
      failureRatio: { threshold: 0.5, minimumRequests: 20, windowMs: 10000, openMs: 100, halfOpenProbes: 3 },
    });
  });

  it('builds route retry flags, sorted statuses and the total timeout', () => {
    const config: WeirConfig = {
      ...minimalConfig(),
      routes: [{ name: 'api', upstream: 'backend', timeouts: { totalMs: 3000 }, retry: { retryOn: ['gateway-error', 'retriable-status'], retriableStatuses: [503, 409], retries: 2 } }],
    };
    const action = buildSpec(config).routes[0]!.action as ForwardActionSpec;
    expect(action.totalTimeoutMs).toBe(3000);
    expect(action.retry).toEqual({
      ...defaultRetryFields.retry,
      retries: 2,
      retriableStatuses: [409, 503],
      retryOn: { connectFailure: false, gatewayError: true, reset: false, retriableStatus: true, serverError: false },
    });
  });

  it('changes the hash when a resilience setting changes', () => {
    const a = buildSpec(minimalConfig()).hash;
    expect(buildSpec(withUpstream({ balancer: { policy: 'random' } })).hash).not.toBe(a);
    expect(buildSpec(withUpstream({ healthCheck: {} })).hash).not.toBe(a);
  });
});
