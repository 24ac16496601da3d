import { validateConfig } from '../../../src/validate/index';
import { pointersOf, validConfig } from '../../fixtures/configs';

const EXPORT = { endpoint: 'http://127.0.0.1:4318' };

function withRouteTracing(tracing: unknown): Record<string, unknown> {
  const config = validConfig() as unknown as { routes: Record<string, unknown>[] };
  return { ...config, routes: config.routes.map((r, i) => (i === 0 ? { ...r, tracing } : r)) };
}

describe('tracing section', () => {
  it('accepts propagation alone, and a complete section', () => {
    expect(validateConfig({ ...validConfig(), tracing: {} }).ok).toBe(true);
    expect(validateConfig({ ...validConfig(), tracing: { propagation: false } }).ok).toBe(true);
    const full = {
      ...withRouteTracing({ ratio: 0.1 }),
      tracing: {
        propagation: true,
        sampling: { ratio: 0.01, parentBased: false, keepErrors: true },
        export: { endpoint: 'https://collector.example.com/v1/traces', headers: { authorization: 'Bearer t' }, timeoutMs: 500, maxQueueSpans: 100, maxBatchSpans: 100, flushIntervalMs: 50 },
        serviceName: 'edge',
        resourceAttributes: { 'deployment.environment': 'staging' },
      },
    };
    expect(validateConfig(full).ok).toBe(true);
  });

  it('refuses a ratio outside 0-1, other schemes, credentials and queries in the endpoint', () => {
    expect(pointersOf({ ...validConfig(), tracing: { export: EXPORT, sampling: { ratio: 1.5 } } })).toEqual(['/tracing/sampling/ratio']);
    expect(pointersOf({ ...validConfig(), tracing: { export: { endpoint: 'ftp://127.0.0.1:4318' } } })).toEqual(['/tracing/export/endpoint']);
    expect(pointersOf({ ...validConfig(), tracing: { export: { endpoint: 'http://u:p@127.0.0.1:4318' } } })).toEqual(['/tracing/export/endpoint']);
    expect(pointersOf({ ...validConfig(), tracing: { export: { endpoint: 'http://127.0.0.1:4318/?x=1' } } })).toEqual(['/tracing/export/endpoint']);
    expect(pointersOf({ ...validConfig(), tracing: { export: { endpoint: 'http://[::1' } } })).toEqual(['/tracing/export/endpoint']);
    expect(pointersOf({ ...withRouteTracing({ ratio: -0.1 }), tracing: { export: EXPORT } })).toEqual(['/routes/0/tracing/ratio']);
  });

  it('refuses a batch larger than the queue, defaults included', () => {
    expect(pointersOf({ ...validConfig(), tracing: { export: { ...EXPORT, maxBatchSpans: 5000 } } })).toEqual(['/tracing/export/maxBatchSpans']);
    expect(pointersOf({ ...validConfig(), tracing: { export: { ...EXPORT, maxQueueSpans: 100 } } })).toEqual(['/tracing/export/maxBatchSpans']);
  });

  it('refuses sampling settings without a collector', () => {
    expect(pointersOf({ ...validConfig(), tracing: { sampling: { ratio: 0.5 } } })).toEqual(['/tracing/sampling']);
    expect(pointersOf(withRouteTracing({ ratio: 0.5 }))).toEqual(['/routes/0/tracing']);
  });
});
