import { Registry } from 'prom-client';
import { createDataplaneMetrics, type MetricDefinition } from '@weir/obs';
import { HistogramFamily } from '../src/metrics/histogram-family';

/** Histogram exemplars (issue 18): the trace of one exported request per bucket. */

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);

const definition: MetricDefinition = {
  name: 'test_duration_seconds',
  help: 'Test durations.',
  type: 'histogram',
  labels: ['route'],
  aggregator: 'sum',
  buckets: [0.1, 1],
};

type Value = { labels: Record<string, string | number>; value: number; metricName: string; exemplar?: unknown };

async function values(family: HistogramFamily): Promise<Value[]> {
  return (await family.get()).values as Value[];
}

describe('HistogramSeries.observeTraced', () => {
  it('keeps the exemplar in the bucket the value falls in, +Inf included, and get() emits it', async () => {
    expect.assertions(4);
    const family = new HistogramFamily(definition, new Registry());
    const series = family.child(['api']);
    series.observeTraced(0.05, TRACE_A, 1_700_000_000.5);
    series.observeTraced(5, TRACE_B, 1_700_000_001);
    series.observe(0.5);
    const out = await values(family);
    const buckets = out.filter((v) => v.metricName === 'test_duration_seconds_bucket');
    expect(buckets.map((v) => [v.labels['le'], v.value])).toEqual([
      [0.1, 1],
      [1, 2],
      ['+Inf', 3],
    ]);
    expect(buckets.map((v) => v.exemplar)).toEqual([
      { labelSet: { trace_id: TRACE_A }, value: 0.05, timestamp: 1_700_000_000.5 },
      undefined,
      { labelSet: { trace_id: TRACE_B }, value: 5, timestamp: 1_700_000_001 },
    ]);
    // _sum and _count never carry one.
    expect(out.filter((v) => v.metricName !== 'test_duration_seconds_bucket').every((v) => v.exemplar === undefined)).toBe(true);
    expect(out.find((v) => v.metricName === 'test_duration_seconds_count')?.value).toBe(3);
  });

  it('keeps the latest exemplar of a bucket, records a negative value as 0, and reset() forgets them', async () => {
    expect.assertions(3);
    const family = new HistogramFamily(definition, new Registry());
    const series = family.child(['api']);
    series.observeTraced(0.01, TRACE_A, 1);
    series.observeTraced(-3, TRACE_B, 2);
    const first = (await values(family))[0];
    expect(first?.exemplar).toEqual({ labelSet: { trace_id: TRACE_B }, value: 0, timestamp: 2 });
    family.reset();
    expect(series.exemplars).toBeNull();
    expect((await values(family)).some((v) => v.exemplar !== undefined)).toBe(false);
  });

  it('leaves series observed without a trace free of exemplars', async () => {
    expect.assertions(2);
    const family = new HistogramFamily(definition, new Registry());
    family.child(['api']).observe(0.2);
    expect(family.child(['api']).exemplars).toBeNull();
    expect((await values(family)).some((v) => 'exemplar' in v)).toBe(false);
  });
});

describe('RequestMetricHandle.observeTraced', () => {
  it('counts the request and puts its trace id on the duration bucket', async () => {
    expect.assertions(3);
    const metrics = createDataplaneMetrics();
    const handle = metrics.requestLabels('api', 'backend');
    const before = Date.now() / 1000;
    handle.observeTraced(200, 0.0004, TRACE_A);
    const json = await metrics.registry.getMetricsAsJSON();
    const duration = json.find((m) => m.name === 'weir_request_duration_seconds')?.values as Value[];
    const withExemplar = duration.filter((v) => v.exemplar !== undefined);
    expect(withExemplar).toHaveLength(1);
    expect(withExemplar[0]?.exemplar).toMatchObject({ labelSet: { trace_id: TRACE_A }, value: 0.0004, timestamp: expect.any(Number) });
    expect((withExemplar[0]?.exemplar as { timestamp: number }).timestamp).toBeGreaterThanOrEqual(before);
  });
});
