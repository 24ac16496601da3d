import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { createDataplaneMetrics, metricCatalogue, requestDurationBuckets, type MetricDefinition } from '@weir/obs';

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

async function valuesOf(registry: Registry, name: string): Promise<Value[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []) as Value[];
}

describe('DataplaneMetrics', () => {
  it('counts requests per status through a handle', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    const handle = metrics.requestLabels('api', 'backend');
    handle.observe(200, 0.001);
    handle.observe(200, 0.002);
    handle.observe(404, 0.003);
    handle.observe(200, 0.004);
    handle.observe(502, 0.005);
    const values = await valuesOf(metrics.registry, 'weir_requests_total');
    expect(values.map((v) => [v.labels, v.value])).toEqual([
      [{ route: 'api', upstream: 'backend', status: '200', arm: 'stable' }, 3],
      [{ route: 'api', upstream: 'backend', status: '404', arm: 'stable' }, 1],
      [{ route: 'api', upstream: 'backend', status: '502', arm: 'stable' }, 1],
    ]);
  });

  it('adds only new counts on each scrape', async () => {
    expect.assertions(2);
    const metrics = createDataplaneMetrics();
    const handle = metrics.requestLabels('api', 'backend');
    handle.observe(200, 0.01);
    expect((await valuesOf(metrics.registry, 'weir_requests_total'))[0]?.value).toBe(1);
    handle.observe(200, 0.01);
    await valuesOf(metrics.registry, 'weir_requests_total');
    handle.observe(200, 0.01);
    expect((await valuesOf(metrics.registry, 'weir_requests_total'))[0]?.value).toBe(3);
  });

  it('returns the same handle for the same route, upstream and arm, and separate series otherwise', async () => {
    expect.assertions(4);
    const metrics = createDataplaneMetrics();
    expect(metrics.requestLabels('api', 'backend')).toBe(metrics.requestLabels('api', 'backend', 'stable'));
    expect(metrics.requestLabels('api', 'backend', 'candidate')).not.toBe(metrics.requestLabels('api', 'backend'));
    metrics.requestLabels('api', 'backend').observe(200, 0.1);
    metrics.requestLabels('api', 'backend', 'candidate').observe(503, 0.1);
    metrics.requestLabels('', '').observe(404, 0.1);
    metrics.requestLabels('hello', '').observe(200, 0.1);
    const values = await valuesOf(metrics.registry, 'weir_requests_total');
    expect(values.map((v) => v.labels)).toEqual([
      { route: 'api', upstream: 'backend', status: '200', arm: 'stable' },
      { route: 'api', upstream: 'backend', status: '503', arm: 'candidate' },
      { route: '', upstream: '', status: '404', arm: 'stable' },
      { route: 'hello', upstream: '', status: '200', arm: 'stable' },
    ]);
    expect(values.every((v) => v.value === 1)).toBe(true);
  });

  it('forgets a label set, series included, when the last holder releases it; counts continue while any holds it', async () => {
    expect.assertions(5);
    const metrics = createDataplaneMetrics();
    const first = metrics.requestLabels('gone', 'up');
    const second = metrics.requestLabels('gone', 'up');
    first.observe(200, 0.01);
    expect(second).toBe(first);
    metrics.releaseLabels(first);
    first.observe(200, 0.01);
    expect((await valuesOf(metrics.registry, 'weir_requests_total'))[0]?.value).toBe(2);
    metrics.releaseLabels(second);
    expect(metrics.heldLabelSets).toBe(0);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('route="gone"');
    metrics.releaseLabels(second);
    // A new holder starts a fresh series.
    metrics.requestLabels('gone', 'up').observe(500, 0.01);
    expect((await valuesOf(metrics.registry, 'weir_requests_total')).map((v) => [v.labels['status'], v.value])).toEqual([['500', 1]]);
  });

  it('observes durations exactly as a prom-client Histogram would', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    const reference = new Registry();
    const histogram = new Histogram({
      name: metricCatalogue.requestDurationSeconds.name,
      help: metricCatalogue.requestDurationSeconds.help,
      labelNames: ['route', 'upstream', 'arm'],
      buckets: requestDurationBuckets.slice(),
      registers: [reference],
    });
    const samples = [0, 0.0004, 0.0005, 0.0007, 0.02, 0.3, 1, 7, 29.9, 30, 45, 120];
    for (const [route, upstream] of [
      ['api', 'backend'],
      ['web', 'front'],
    ] as const) {
      const handle = metrics.requestLabels(route, upstream);
      for (const s of samples) {
        handle.observe(200, s);
        histogram.observe({ route, upstream, arm: 'stable' }, s);
      }
    }
    const normalise = (values: Value[]): string[] =>
      values
        .map((v) => {
          const labels = Object.entries(v.labels).sort(([a], [b]) => a.localeCompare(b));
          return `${v.metricName as string} ${JSON.stringify(labels)} ${v.value}`;
        })
        .sort();
    expect(normalise(await valuesOf(metrics.registry, 'weir_request_duration_seconds'))).toEqual(
      normalise(await valuesOf(reference, 'weir_request_duration_seconds')),
    );
  });

  it('records negative and NaN durations as zero', async () => {
    expect.assertions(2);
    const metrics = createDataplaneMetrics();
    const handle = metrics.requestLabels('api', 'backend');
    handle.observe(200, -1);
    handle.observe(200, Number.NaN);
    const values = await valuesOf(metrics.registry, 'weir_request_duration_seconds');
    expect(values.find((v) => v.metricName === 'weir_request_duration_seconds_sum')?.value).toBe(0);
    expect(values.find((v) => v.labels['le'] === 0.0005)?.value).toBe(2);
  });

  it('writes every catalogue metric in the Prometheus text output', async () => {
    expect.assertions(Object.values<MetricDefinition>(metricCatalogue).filter((d) => d.recordedBy !== 'primary').length + 2);
    const metrics = createDataplaneMetrics();
    metrics.requestLabels('api', 'backend').observe(200, 0.003);
    metrics.upstreamError('backend', 'WEIR_ERR_UPSTREAM_CONNECT');
    metrics.setConfigVersion('v-abc');
    const text = await metrics.registry.metrics();
    for (const definition of Object.values<MetricDefinition>(metricCatalogue).filter((d) => d.recordedBy !== 'primary')) {
      expect(text).toContain(`# TYPE ${definition.name} ${definition.type}`);
    }
    expect(text).toContain('weir_request_duration_seconds_bucket{route="api",upstream="backend",arm="stable",le="0.005"} 1');
    expect(text).toContain('weir_requests_total{route="api",upstream="backend",status="200",arm="stable"} 1');
  });

  it('counts upstream errors by upstream and code', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    metrics.upstreamError('backend', 'WEIR_ERR_UPSTREAM_CONNECT');
    metrics.upstreamError('backend', 'WEIR_ERR_UPSTREAM_CONNECT');
    metrics.upstreamError('backend', 'WEIR_ERR_UPSTREAM_TIMEOUT');
    const values = await valuesOf(metrics.registry, 'weir_upstream_errors_total');
    expect(values.map((v) => [v.labels['code'], v.value])).toEqual([
      ['WEIR_ERR_UPSTREAM_CONNECT', 2],
      ['WEIR_ERR_UPSTREAM_TIMEOUT', 1],
    ]);
  });

  it('reports requests in flight and open connections at scrape time', async () => {
    expect.assertions(2);
    const metrics = createDataplaneMetrics();
    metrics.inFlightInc();
    metrics.inFlightInc();
    metrics.inFlightInc();
    metrics.inFlightDec();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    expect((await valuesOf(metrics.registry, 'weir_requests_in_flight'))[0]?.value).toBe(2);
    expect((await valuesOf(metrics.registry, 'weir_downstream_connections'))[0]?.value).toBe(1);
  });

  it('labels config info with the version served now, and only that one', async () => {
    expect.assertions(1);
    const metrics = createDataplaneMetrics();
    metrics.setConfigVersion('v-1');
    metrics.setConfigVersion('v-2');
    expect((await valuesOf(metrics.registry, 'weir_config_info')).map((v) => [v.labels, v.value])).toEqual([[{ version: 'v-2' }, 1]]);
  });

  it('uses a given registry and rejects a second set of metrics in it', () => {
    const registry = new Registry();
    const metrics = createDataplaneMetrics(registry);
    expect(metrics.registry).toBe(registry);
    expect(() => createDataplaneMetrics(registry)).toThrow();
  });

  it('zeroes histogram series on registry reset and keeps handles working', async () => {
    expect.assertions(2);
    const metrics = createDataplaneMetrics();
    const handle = metrics.requestLabels('api', 'backend');
    handle.observe(200, 0.1);
    metrics.registry.resetMetrics();
    expect((await valuesOf(metrics.registry, 'weir_request_duration_seconds')).find((v) => v.metricName?.endsWith('_count'))?.value).toBe(0);
    handle.observe(200, 0.1);
    expect((await valuesOf(metrics.registry, 'weir_request_duration_seconds')).find((v) => v.metricName?.endsWith('_count'))?.value).toBe(1);
  });

  it('aggregates across workers with prom-client AggregatorRegistry', async () => {
    expect.assertions(4);
    const workers = [createDataplaneMetrics(), createDataplaneMetrics()];
    for (const w of workers) {
      w.requestLabels('api', 'backend').observe(200, 0.002);
      w.inFlightInc();
      w.setConfigVersion('v-1');
    }
    const aggregated = AggregatorRegistry.aggregate(await Promise.all(workers.map((w) => w.registry.getMetricsAsJSON())));
    const text = await aggregated.metrics();
    expect(text).toContain('weir_requests_total{route="api",upstream="backend",status="200",arm="stable"} 2');
    expect(text).toContain('weir_request_duration_seconds_count{route="api",upstream="backend",arm="stable"} 2');
    expect(text).toContain('weir_requests_in_flight 2');
    expect(text).toContain('weir_config_info{version="v-1"} 1');
  });
});
