import { Counter, Gauge, Registry } from 'prom-client';
import { WorkerMetricsLedger, createDataplaneMetrics, metricsToJSON, type MetricFamilyJSON } from '@weir/obs';

/**
 * Aggregation at the primary: workers' families summed per the catalogue, and counters that
 * never go backwards when a worker process is replaced or misses a scrape.
 */

/** A worker's metrics after `requests` requests to one route. */
async function worker(requests: number, inFlight = 0): Promise<MetricFamilyJSON[]> {
  const metrics = createDataplaneMetrics();
  const handle = metrics.requestLabels('api', 'backend');
  for (let i = 0; i < requests; i++) handle.observe(200, 0.003);
  for (let i = 0; i < inFlight; i++) metrics.inFlightInc();
  metrics.setConfigVersion('v-1');
  return metricsToJSON(metrics.registry);
}

async function value(registry: Registry, name: string, metricName = name, labels: Record<string, string | number> = {}): Promise<number | undefined> {
  const families = await registry.getMetricsAsJSON();
  const family = families.find((f) => f.name === name);
  const sample = family?.values.find(
    (v) => ((v as { metricName?: string }).metricName ?? name) === metricName && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return sample?.value;
}

describe('WorkerMetricsLedger', () => {
  it('sums counters, histograms and gauges over the workers, and takes the max of config info', async () => {
    expect.assertions(5);
    const ledger = new WorkerMetricsLedger();
    const registry = await ledger.aggregate([
      { index: 0, pid: 100, families: await worker(3, 1) },
      { index: 1, pid: 101, families: await worker(4, 2) },
    ]);
    expect(await value(registry, 'weir_requests_total')).toBe(7);
    expect(await value(registry, 'weir_request_duration_seconds', 'weir_request_duration_seconds_count')).toBe(7);
    expect(await value(registry, 'weir_request_duration_seconds', 'weir_request_duration_seconds_bucket', { le: 0.005 })).toBe(7);
    expect(await value(registry, 'weir_requests_in_flight')).toBe(3);
    expect(await value(registry, 'weir_config_info', 'weir_config_info', { version: 'v-1' })).toBe(1);
  });

  it('keeps counters of a replaced worker: the aggregate never goes backwards', async () => {
    expect.assertions(4);
    const ledger = new WorkerMetricsLedger();
    let registry = await ledger.aggregate([
      { index: 0, pid: 100, families: await worker(10, 5) },
      { index: 1, pid: 101, families: await worker(4) },
    ]);
    expect(await value(registry, 'weir_requests_total')).toBe(14);
    // Slot 0's process died and was replaced by pid 200, which has served 1 request so far.
    registry = await ledger.aggregate([
      { index: 0, pid: 200, families: await worker(1) },
      { index: 1, pid: 101, families: await worker(6) },
    ]);
    expect(await value(registry, 'weir_requests_total')).toBe(17);
    // The dead process's gauges are gone: only the live ones count.
    expect(await value(registry, 'weir_requests_in_flight')).toBe(0);
    // And again: retired totals accumulate.
    registry = await ledger.aggregate([
      { index: 0, pid: 300, families: await worker(2) },
      { index: 1, pid: 101, families: await worker(6) },
    ]);
    expect(await value(registry, 'weir_requests_total')).toBe(10 + 1 + 2 + 6);
  });

  it('stands in for a worker that did not answer with its last counters, without its gauges', async () => {
    expect.assertions(3);
    const ledger = new WorkerMetricsLedger();
    await ledger.aggregate([
      { index: 0, pid: 100, families: await worker(5, 2) },
      { index: 1, pid: 101, families: await worker(4, 1) },
    ]);
    const registry = await ledger.aggregate([{ index: 1, pid: 101, families: await worker(8, 1) }]);
    expect(await value(registry, 'weir_requests_total')).toBe(13);
    expect(await value(registry, 'weir_request_duration_seconds', 'weir_request_duration_seconds_count')).toBe(13);
    expect(await value(registry, 'weir_requests_in_flight')).toBe(1);
  });

  it('drops malformed families from a worker instead of failing the scrape', async () => {
    expect.assertions(2);
    const ledger = new WorkerMetricsLedger();
    const registry = await ledger.aggregate([
      { index: 0, pid: 1, families: [{ name: 'x', help: 'h', type: 'counter', aggregator: 'explode', values: [] }, 42, null] },
      { index: 1, pid: 2, families: 'not a list' },
      { index: 2, pid: 3, families: await worker(2) },
    ]);
    expect(await value(registry, 'weir_requests_total')).toBe(2);
    expect((await registry.getMetricsAsJSON()).map((f) => f.name)).not.toContain('x');
  });

  it('aggregates any prom-client registry the same way', async () => {
    expect.assertions(2);
    const families = async (n: number): Promise<MetricFamilyJSON[]> => {
      const registry = new Registry();
      new Counter({ name: 'c_total', help: 'c', registers: [registry] }).inc(n);
      new Gauge({ name: 'g', help: 'g', registers: [registry], aggregator: 'max' }).set(n);
      return metricsToJSON(registry);
    };
    const registry = await new WorkerMetricsLedger().aggregate([
      { index: 0, pid: 1, families: await families(2) },
      { index: 1, pid: 2, families: await families(5) },
    ]);
    expect(await value(registry, 'c_total')).toBe(7);
    expect(await value(registry, 'g')).toBe(5);
  });
});
