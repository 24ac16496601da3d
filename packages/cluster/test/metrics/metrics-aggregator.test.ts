import type { WorkerMetricsSample } from '../../src/fleet/index';
import { MetricsAggregator, type MetricsSource } from '../../src/metrics/index';
import { ControlPlaneMetrics } from '@weir/obs';
import { fakeMetrics } from '../support/fake-workers';

/** A metrics source whose answers the test sets, and counts the collections. */
class ScriptedSource implements MetricsSource {
  samples: WorkerMetricsSample[] = [];
  collections = 0;
  gate: Promise<void> | null = null;

  async collectMetrics(): Promise<readonly WorkerMetricsSample[]> {
    this.collections++;
    if (this.gate !== null) await this.gate;
    return this.samples;
  }
}

function line(body: string, name: string): string | undefined {
  return body.split('\n').find((l) => l.startsWith(`${name} `));
}

describe('MetricsAggregator', () => {
  it('serves the workers aggregated, then the primary registries', async () => {
    expect.assertions(4);
    const source = new ScriptedSource();
    source.samples = [
      { index: 0, pid: 10, metrics: fakeMetrics(3) },
      { index: 1, pid: 11, metrics: fakeMetrics(5) },
    ];
    const control = new ControlPlaneMetrics();
    control.fileRejected('WEIR_ERR_CONFIG_PARSE');
    const exposition = await new MetricsAggregator({ fleet: source, registries: [control.registry] }).metrics();
    expect(exposition.contentType).toMatch(/^text\/plain/);
    expect(line(exposition.body, 'fake_requests_total')).toBe('fake_requests_total 8');
    expect(line(exposition.body, 'fake_up')).toBe('fake_up 2');
    expect(exposition.body).toContain('weir_config_file_rejections_total{code="WEIR_ERR_CONFIG_PARSE"} 1');
  });

  it('never lets a counter go backwards when a worker is replaced', async () => {
    expect.assertions(3);
    const source = new ScriptedSource();
    const aggregator = new MetricsAggregator({ fleet: source });
    source.samples = [
      { index: 0, pid: 10, metrics: fakeMetrics(30) },
      { index: 1, pid: 11, metrics: fakeMetrics(5) },
    ];
    expect(line((await aggregator.metrics()).body, 'fake_requests_total')).toBe('fake_requests_total 35');
    source.samples = [{ index: 1, pid: 11, metrics: fakeMetrics(6) }]; // slot 0 restarting
    expect(line((await aggregator.metrics()).body, 'fake_requests_total')).toBe('fake_requests_total 36');
    source.samples = [
      { index: 0, pid: 12, metrics: fakeMetrics(1) },
      { index: 1, pid: 11, metrics: fakeMetrics(7) },
    ];
    expect(line((await aggregator.metrics()).body, 'fake_requests_total')).toBe('fake_requests_total 38');
  });

  it('shares one collection between overlapping scrapes', async () => {
    expect.assertions(2);
    const source = new ScriptedSource();
    let open: () => void = () => undefined;
    source.gate = new Promise((resolve) => (open = resolve));
    source.samples = [{ index: 0, pid: 10, metrics: fakeMetrics(1) }];
    const aggregator = new MetricsAggregator({ fleet: source });
    const first = aggregator.metrics();
    const second = aggregator.metrics();
    open();
    expect((await first).body).toBe((await second).body);
    expect(source.collections).toBe(1);
  });
});
