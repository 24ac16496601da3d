import type { Registry } from 'prom-client';
import { createDataplaneMetrics } from '@weir/obs';

type Value = { labels: Record<string, string | number>; value: number };

async function valuesOf(registry: Registry, name: string): Promise<[Record<string, string | number>, number][]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return ((metric?.values ?? []) as Value[]).map((v) => [v.labels, v.value]);
}

describe('UpstreamResilienceMetrics', () => {
  it('returns one handle per upstream, kept across config versions', () => {
    const metrics = createDataplaneMetrics();
    expect(metrics.upstreamResilience('api')).toBe(metrics.upstreamResilience('api'));
    expect(metrics.upstreamResilience('api')).not.toBe(metrics.upstreamResilience('web'));
  });

  it('counts retries and denied retries by reason', async () => {
    expect.assertions(2);
    const metrics = createDataplaneMetrics();
    const api = metrics.upstreamResilience('api');
    api.retry('reset');
    api.retry('reset');
    api.retry('5xx');
    api.retryDenied('budget');
    expect(await valuesOf(metrics.registry, 'weir_upstream_retries_total')).toEqual([
      [{ upstream: 'api', reason: 'reset' }, 2],
      [{ upstream: 'api', reason: '5xx' }, 1],
    ]);
    expect(await valuesOf(metrics.registry, 'weir_upstream_retries_denied_total')).toEqual([[{ upstream: 'api', reason: 'budget' }, 1]]);
  });

  it('exports the breaker state of upstreams that reported one, and counts opens', async () => {
    expect.assertions(4);
    const metrics = createDataplaneMetrics();
    metrics.upstreamResilience('quiet');
    const api = metrics.upstreamResilience('api');
    api.breakerState(2);
    api.breakerState(1);
    api.breakerState(2);
    expect(await valuesOf(metrics.registry, 'weir_circuit_breaker_state')).toEqual([[{ upstream: 'api' }, 2]]);
    expect(await valuesOf(metrics.registry, 'weir_circuit_breaker_opens_total')).toEqual([[{ upstream: 'api' }, 2]]);
    api.breakerState(0);
    expect(await valuesOf(metrics.registry, 'weir_circuit_breaker_state')).toEqual([[{ upstream: 'api' }, 0]]);
    api.breakerState(-1);
    expect(await valuesOf(metrics.registry, 'weir_circuit_breaker_state')).toEqual([]);
  });

  it('counts ejections by detector', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    metrics.upstreamResilience('api').ejection('consecutive-5xx');
    expect(await valuesOf(metrics.registry, 'weir_outlier_ejections_total')).toEqual([[{ upstream: 'api', reason: 'consecutive-5xx' }, 1]]);
  });
});
