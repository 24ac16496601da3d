import { Registry } from 'prom-client';
import { TrafficMetrics, createDataplaneMetrics } from '@weir/obs';

type Value = { labels: Record<string, string | number>; value: number };

async function valuesOf(registry: Registry, name: string): Promise<Array<[Record<string, string | number>, number]>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return ((metric?.values ?? []) as Value[]).map((v) => [v.labels, v.value]);
}

describe('TrafficMetrics', () => {
  it('counts mirror outcomes, faults and override hits by route, through bound methods', async () => {
    expect.assertions(3);
    const registry = new Registry();
    const metrics = new TrafficMetrics(registry);
    // Detached methods work: the data plane holds them behind its own interfaces.
    const { mirrored, faultInjected, overridden } = metrics;
    mirrored('a', 'ok');
    mirrored('a', 'ok');
    mirrored('a', 'error');
    mirrored('b', 'dropped');
    mirrored('b', 'skipped');
    faultInjected('a', 'delay');
    faultInjected('a', 'abort');
    faultInjected('a', 'abort');
    overridden('a');
    overridden('b');
    overridden('b');
    expect(await valuesOf(registry, 'weir_mirror_requests_total')).toEqual([
      [{ route: 'a', outcome: 'ok' }, 2],
      [{ route: 'a', outcome: 'error' }, 1],
      [{ route: 'b', outcome: 'dropped' }, 1],
      [{ route: 'b', outcome: 'skipped' }, 1],
    ]);
    expect(await valuesOf(registry, 'weir_fault_injections_total')).toEqual([
      [{ route: 'a', kind: 'delay' }, 1],
      [{ route: 'a', kind: 'abort' }, 2],
    ]);
    expect(await valuesOf(registry, 'weir_traffic_overrides_total')).toEqual([
      [{ route: 'a' }, 1],
      [{ route: 'b' }, 2],
    ]);
  });

  it('adds only new counts on each scrape', async () => {
    expect.assertions(2);
    const registry = new Registry();
    const metrics = new TrafficMetrics(registry);
    metrics.overridden('a');
    expect(await valuesOf(registry, 'weir_traffic_overrides_total')).toEqual([[{ route: 'a' }, 1]]);
    metrics.overridden('a');
    await valuesOf(registry, 'weir_traffic_overrides_total');
    metrics.overridden('a');
    expect(await valuesOf(registry, 'weir_traffic_overrides_total')).toEqual([[{ route: 'a' }, 3]]);
  });

  it('is part of the worker metrics', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    metrics.traffic.mirrored('r', 'ok');
    expect(await valuesOf(metrics.registry, 'weir_mirror_requests_total')).toEqual([[{ route: 'r', outcome: 'ok' }, 1]]);
  });
});
