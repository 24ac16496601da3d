import { aggregateMetricFamilies, attachExemplars, checkMetricFamilies, exposeOpenMetrics, type MetricFamilyJSON, type MetricSampleJSON } from '@weir/obs';

/**
 * The OpenMetrics side of issue 18: exemplars survive cluster aggregation (`attachExemplars`),
 * are rendered on bucket lines (`exposeOpenMetrics`), and a worker's malformed one is refused
 * (`checkMetricFamilies`).
 */

const TRACE_OLD = '1'.repeat(32);
const TRACE_NEW = '2'.repeat(32);
const TRACE_OTHER = '3'.repeat(32);

function bucket(le: number | string, value: number, exemplar?: MetricSampleJSON['exemplar']): MetricSampleJSON {
  const sample = { labels: { route: 'api', le }, value, metricName: 'weir_request_duration_seconds_bucket' };
  return exemplar === undefined ? sample : { ...sample, exemplar };
}

function histogram(samples: MetricSampleJSON[], count: number): MetricFamilyJSON {
  return {
    name: 'weir_request_duration_seconds',
    help: 'Durations.',
    type: 'histogram',
    aggregator: 'sum',
    values: [
      ...samples,
      { labels: { route: 'api' }, value: count * 0.05, metricName: 'weir_request_duration_seconds_sum' },
      { labels: { route: 'api' }, value: count, metricName: 'weir_request_duration_seconds_count' },
    ],
  };
}

const counter: MetricFamilyJSON = {
  name: 'weir_requests_total',
  help: 'Requests.',
  type: 'counter',
  aggregator: 'sum',
  values: [{ labels: { route: 'api', status: '200' }, value: 3 }],
};

const worker1: MetricFamilyJSON[] = [
  histogram([bucket(0.1, 1, { labelSet: { trace_id: TRACE_OLD }, value: 0.05, timestamp: 100 }), bucket('+Inf', 1)], 1),
  counter,
];
const worker2: MetricFamilyJSON[] = [
  histogram(
    [bucket(0.1, 1, { labelSet: { trace_id: TRACE_NEW }, value: 0.07, timestamp: 200 }), bucket('+Inf', 2, { labelSet: { trace_id: TRACE_OTHER }, value: 3, timestamp: 150 })],
    2,
  ),
  counter,
];

async function aggregated(perProcess: MetricFamilyJSON[][]): Promise<MetricFamilyJSON[]> {
  return (await aggregateMetricFamilies(perProcess).getMetricsAsJSON()) as unknown as MetricFamilyJSON[];
}

describe('attachExemplars', () => {
  it('puts back the newest exemplar of each bucket across processes, and leaves other families alone', async () => {
    expect.assertions(4);
    const merged = await aggregated([worker1, worker2]);
    const out = attachExemplars(merged, [worker1, worker2]);
    const duration = out.find((f) => f.name === 'weir_request_duration_seconds') as MetricFamilyJSON;
    const buckets = duration.values.filter((v) => v.metricName === 'weir_request_duration_seconds_bucket');
    expect(buckets.map((v) => [v.labels['le'], v.value, v.exemplar?.labelSet['trace_id']])).toEqual([
      [0.1, 2, TRACE_NEW],
      ['+Inf', 3, TRACE_OTHER],
    ]);
    expect(duration.values.filter((v) => v.metricName !== 'weir_request_duration_seconds_bucket').every((v) => v.exemplar === undefined)).toBe(true);
    const requests = out.find((f) => f.name === 'weir_requests_total');
    expect(requests).toBe(merged.find((f) => f.name === 'weir_requests_total'));
    // Order does not matter: the newest still wins.
    const reversed = attachExemplars(merged, [worker2, worker1]).find((f) => f.name === 'weir_request_duration_seconds') as MetricFamilyJSON;
    expect(reversed.values[0]?.exemplar?.labelSet['trace_id']).toBe(TRACE_NEW);
  });

  it('returns the families unchanged when no process reported an exemplar', async () => {
    expect.assertions(1);
    const plain = [histogram([bucket(0.1, 1), bucket('+Inf', 1)], 1), counter];
    const merged = await aggregated([plain, plain]);
    expect(attachExemplars(merged, [plain, plain])).toEqual(merged);
  });
});

describe('exposeOpenMetrics', () => {
  it('renders exemplars on bucket lines, counter families once without _total, and # EOF', async () => {
    expect.assertions(7);
    const families = attachExemplars(await aggregated([worker1, worker2]), [worker1, worker2]);
    const { contentType, body } = await exposeOpenMetrics(families);
    expect(contentType).toContain('application/openmetrics-text');
    const lines = body.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    expect(lines.filter((l) => l === '# EOF')).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('weir_request_duration_seconds_bucket{') && l.includes('le="0.1"'))).toMatch(
      new RegExp(`^weir_request_duration_seconds_bucket\\{[^}]*\\} 2 # \\{trace_id="${TRACE_NEW}"\\} 0\\.07 200(\\.0+)?$`),
    );
    expect(lines.filter((l) => l.startsWith('# TYPE weir_requests '))).toEqual(['# TYPE weir_requests counter']);
    expect(lines.filter((l) => l.startsWith('weir_requests_total{'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('_sum') || l.includes('_count')).some((l) => l.includes('trace_id'))).toBe(false);
  });
});

describe('checkMetricFamilies with exemplars', () => {
  it('keeps well-formed exemplars and drops a family with a malformed one', () => {
    const good = histogram([bucket(0.1, 1, { labelSet: { trace_id: TRACE_OLD }, value: 0.05, timestamp: 100 })], 1);
    const malformed = [
      { labelSet: { trace_id: 42 }, value: 1, timestamp: 1 },
      { labelSet: { trace_id: TRACE_OLD }, value: '1', timestamp: 1 },
      { labelSet: { trace_id: TRACE_OLD }, value: 1 },
      { labelSet: null, value: 1, timestamp: 1 },
      'exemplar',
    ].map((exemplar) => ({ ...good, name: 'bad', values: [{ ...good.values[0], exemplar }] }));
    const checked = checkMetricFamilies([good, ...malformed, counter]);
    expect(checked.map((f) => f.name)).toEqual(['weir_request_duration_seconds', 'weir_requests_total']);
  });
});
