import { ControlPlaneMetrics, exposeMetrics, type FleetReading } from '@weir/obs';

describe('ControlPlaneMetrics', () => {
  it('counts applies by source and outcome, and observes the duration of applied ones', async () => {
    expect.assertions(5);
    const metrics = new ControlPlaneMetrics();
    metrics.applyFinished('file', 'applied', 0.3);
    metrics.applyFinished('admin', 'rejected', 0.01);
    metrics.applyFinished('admin', 'unchanged', 0.02);
    metrics.fileRejected('WEIR_ERR_CONFIG_PARSE');
    const text = await metrics.registry.metrics();
    expect(text).toContain('weir_config_applies_total{source="file",outcome="applied"} 1');
    expect(text).toContain('weir_config_applies_total{source="admin",outcome="rejected"} 1');
    expect(text).toContain('weir_config_apply_duration_seconds_count 1');
    expect(text).toContain('weir_config_apply_duration_seconds_bucket{le="0.5"} 1');
    expect(text).toContain('weir_config_file_rejections_total{code="WEIR_ERR_CONFIG_PARSE"} 1');
  });

  it('reads worker states and restarts from the fleet at scrape time', async () => {
    expect.assertions(4);
    let reading: FleetReading = { states: ['ready', 'ready', 'backoff'], restarts: 2 };
    const metrics = new ControlPlaneMetrics({ fleet: () => reading });
    let text = await metrics.registry.metrics();
    expect(text).toContain('weir_workers{state="ready"} 2');
    expect(text).toContain('weir_workers{state="starting"} 0');
    reading = { states: ['ready', 'ready', 'ready'], restarts: 3 };
    text = await metrics.registry.metrics();
    expect(text).toContain('weir_worker_restarts_total 3');
    expect(text).toContain('weir_workers{state="backoff"} 0');
  });

  it('renders several registries as one exposition', async () => {
    expect.assertions(2);
    const a = new ControlPlaneMetrics();
    a.fileRejected('WEIR_ERR_CONFIG_READ');
    const exposition = await exposeMetrics([a.registry]);
    expect(exposition.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(exposition.body.endsWith('\n')).toBe(true);
  });
});
