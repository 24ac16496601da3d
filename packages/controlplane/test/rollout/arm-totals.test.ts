import { createDataplaneMetrics, metricsToJSON } from '@weir/obs';
import { quantileMs, readArmTotals, windowBetween } from '../../src/rollout/index';

describe('arm totals from the request metrics', () => {
  it('sums requests, 5xx and duration buckets by arm over every route and upstream', async () => {
    const metrics = createDataplaneMetrics();
    const stable = metrics.requestLabels('api', 'blue');
    const candidate = metrics.requestLabels('api', 'green', 'candidate');
    for (let i = 0; i < 90; i++) stable.observe(200, 0.004);
    for (let i = 0; i < 10; i++) stable.observe(503, 0.2);
    metrics.requestLabels('', '', 'candidate').observe(404, 0.001);
    for (let i = 0; i < 4; i++) candidate.observe(500, 0.02);
    metrics.requestLabels('other', 'blue').observe(499, 0.5);
    const totals = readArmTotals(await metricsToJSON(metrics.registry));
    expect([totals.stable.requests, totals.stable.errors]).toEqual([101, 10]);
    expect([totals.candidate.requests, totals.candidate.errors]).toEqual([5, 4]);
    expect(totals.stable.buckets[totals.stable.buckets.length - 1]).toBe(101);
  });

  it('interpolates quantiles inside buckets as histogram_quantile does', async () => {
    const metrics = createDataplaneMetrics();
    const h = metrics.requestLabels('r', 'u');
    for (let i = 0; i < 100; i++) h.observe(200, i < 98 ? 0.003 : 0.3);
    const totals = readArmTotals(await metricsToJSON(metrics.registry));
    // 99th of 100: rank 99 falls in the (0.25, 0.5] bucket, which holds ranks 99-100.
    expect(quantileMs(totals.stable, 0.99)).toBeCloseTo(375, 5);
    expect(quantileMs(totals.stable, 0.5)).toBeGreaterThan(2.5);
    expect(quantileMs(totals.stable, 0.5)).toBeLessThanOrEqual(5);
    expect(quantileMs(totals.candidate, 0.99)).toBeNull();
  });

  it('takes the window between two moments, never negative', async () => {
    const metrics = createDataplaneMetrics();
    const h = metrics.requestLabels('r', 'u', 'candidate');
    h.observe(500, 0.01);
    const start = readArmTotals(await metricsToJSON(metrics.registry));
    h.observe(200, 0.01);
    h.observe(200, 0.01);
    const end = readArmTotals(await metricsToJSON(metrics.registry));
    const window = windowBetween(start, end);
    expect([window.candidate.requests, window.candidate.errors]).toEqual([2, 0]);
    expect(windowBetween(end, start).candidate.requests).toBe(0);
  });
});
