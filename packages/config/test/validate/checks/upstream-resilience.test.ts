import { validateConfig } from '@weir/config';
import { pointersOf, problemsOf, validConfig } from '../../fixtures/configs';

describe('balancer hashOn', () => {
  it('accepts each hashing key alone with ring_hash and maglev', () => {
    for (const hashOn of [{ header: 'x-user' }, { cookie: 'sid' }, { clientAddress: true as const }]) {
      const config = validConfig();
      config.upstreams![0]!.balancer = { policy: 'maglev', hashOn };
      config.upstreams![1]!.balancer = { policy: 'ring_hash', hashOn };
      expect(validateConfig(config).ok).toBe(true);
    }
  });

  it('requires hashOn for the hashing policies', () => {
    const config = validConfig();
    config.upstreams![0]!.balancer = { policy: 'ring_hash' };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/upstreams/0/balancer']);
    expect(problems[0]?.message).toContain('needs "hashOn"');
  });

  it('rejects hashOn with another policy, and none or several keys', () => {
    const config = validConfig();
    config.upstreams![0]!.balancer = { hashOn: { header: 'x' } };
    config.upstreams![1]!.balancer = { policy: 'maglev', hashOn: {} };
    config.upstreams![2]!.balancer = { policy: 'maglev', hashOn: { header: 'x', cookie: 'y' } };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/upstreams/0/balancer/hashOn', '/upstreams/1/balancer/hashOn', '/upstreams/2/balancer/hashOn']);
    expect(problems[2]?.message).toContain('"header" and "cookie"');
  });

  it('rejects an unknown policy, a bad panic percentage and clientAddress: false in the schema', () => {
    const config = validConfig() as unknown as { upstreams: { balancer: unknown }[] };
    config.upstreams[0]!.balancer = { policy: 'fastest', panicThresholdPercent: 101 };
    config.upstreams[1]!.balancer = { policy: 'maglev', hashOn: { clientAddress: false } };
    expect(pointersOf(config)).toEqual([
      '/upstreams/0/balancer/panicThresholdPercent',
      '/upstreams/0/balancer/policy',
      '/upstreams/1/balancer/hashOn/clientAddress',
    ]);
  });
});

describe('health checks and outlier detection', () => {
  it('accepts a full health check and outlier section', () => {
    const config = validConfig();
    config.upstreams![0]!.healthCheck = { path: '/health?deep=1', intervalMs: 1000, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, expectedStatuses: [[200, 204], [301, 301]], initialState: 'healthy' };
    config.upstreams![0]!.outlierDetection = { enabled: false, consecutive5xx: 0, successRate: { stdevFactor: 2.5 } };
    config.upstreams![0]!.circuitBreaker = { maxRequests: 10, retryBudget: { percent: 100 }, failureRatio: { threshold: 1 } };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('rejects reversed status ranges and a max ejection below the base', () => {
    const config = validConfig();
    config.upstreams![0]!.healthCheck = { expectedStatuses: [[200, 299], [404, 400]] };
    config.upstreams![1]!.outlierDetection = { baseEjectionMs: 400_000 };
    config.upstreams![2]!.outlierDetection = { baseEjectionMs: 1000, maxEjectionMs: 500 };
    expect(pointersOf(config)).toEqual([
      '/upstreams/0/healthCheck/expectedStatuses/1',
      '/upstreams/1/outlierDetection/baseEjectionMs',
      '/upstreams/2/outlierDetection/maxEjectionMs',
    ]);
  });

  it('checks shapes in the schema: path, range pairs, ratio threshold', () => {
    const config = validConfig() as unknown as { upstreams: Record<string, unknown>[] };
    config.upstreams[0]!['healthCheck'] = { path: 'healthz', expectedStatuses: [[200]] };
    config.upstreams[1]!['circuitBreaker'] = { failureRatio: { threshold: 0 } };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/upstreams/0/healthCheck/expectedStatuses/0',
      '/upstreams/0/healthCheck/path',
      '/upstreams/1/circuitBreaker/failureRatio/threshold',
    ]);
    expect(problems[1]?.message).toContain('must start with "/"');
  });
});

describe('route retry', () => {
  it('accepts a retry policy on a forwarding route', () => {
    const config = validConfig();
    config.routes[1]!.retry = { retries: 3, retryOn: ['5xx', 'retriable-status'], retriableStatuses: [409], backoff: { baseMs: 10, maxMs: 10 } };
    config.routes[1]!.timeouts = { totalMs: 2000 };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('rejects retry on a direct-response route', () => {
    const config = validConfig();
    config.routes[0]!.retry = { retries: 1 };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/0/retry']);
  });

  it('ties retriable-status to a non-empty retriableStatuses, both ways', () => {
    const config = validConfig();
    config.routes[1]!.retry = { retryOn: ['retriable-status'] };
    config.routes[2]!.retry = { retriableStatuses: [503] };
    expect(pointersOf(config)).toEqual(['/routes/1/retry/retriableStatuses', '/routes/2/retry/retryOn']);
  });

  it('rejects a backoff cap below its base, defaults included', () => {
    const config = validConfig();
    config.routes[1]!.retry = { backoff: { baseMs: 500 } };
    config.routes[2]!.retry = { backoff: { maxMs: 10 } };
    expect(pointersOf(config)).toEqual(['/routes/1/retry/backoff/baseMs', '/routes/2/retry/backoff/maxMs']);
  });

  it('rejects unknown conditions, duplicates and too many retries in the schema', () => {
    const config = validConfig() as unknown as { routes: Record<string, unknown>[] };
    config.routes[1]!['retry'] = { retries: 11, retryOn: ['reset', 'reset', 'timeout'] };
    expect(pointersOf(config)).toEqual(['/routes/1/retry/retries', '/routes/1/retry/retryOn/1', '/routes/1/retry/retryOn/2']);
  });
});
