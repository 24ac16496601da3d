import { DEFAULT_ANALYSIS, analyseWindow, type ArmTotals } from '../../src/rollout/index';

/** Totals of `requests` requests, `errors` of them 5xx, all in the bucket of `bound` seconds. */
function arm(requests: number, errors: number, bucketIndex = 3): ArmTotals {
  const buckets = new Array<number>(16).fill(0).map((_, i) => (i >= bucketIndex ? requests : 0));
  return { requests, errors, buckets };
}

describe('analyseWindow', () => {
  it('gives no verdict below minRequests candidate requests', () => {
    const r = analyseWindow({ stable: arm(1000, 0), candidate: arm(19, 19) }, DEFAULT_ANALYSIS);
    expect(r.verdict).toBe('insufficient');
    expect(r.reasons[0]).toMatch(/19 of 20/);
  });

  it('is healthy when the candidate does as well as stable', () => {
    const r = analyseWindow({ stable: arm(1000, 5), candidate: arm(100, 1) }, DEFAULT_ANALYSIS);
    expect([r.verdict, r.candidate.errorRate, r.stable.errorRate]).toEqual(['healthy', 0.01, 0.005]);
  });

  it('breaches when the candidate error rate exceeds stable by more than the allowed increase', () => {
    const r = analyseWindow({ stable: arm(1000, 0), candidate: arm(100, 2) }, DEFAULT_ANALYSIS);
    expect(r.verdict).toBe('breach');
    expect(r.reasons[0]).toMatch(/error rate 2.00% exceeds stable's 0.00%/);
  });

  it('breaches on latency: relative to stable, and absolute', () => {
    const slow = analyseWindow({ stable: arm(1000, 0, 3), candidate: arm(100, 0, 8) }, DEFAULT_ANALYSIS);
    expect(slow.verdict).toBe('breach');
    expect(slow.reasons[0]).toMatch(/p99 .* exceeds stable's/);
    const absolute = analyseWindow({ stable: arm(10, 0, 3), candidate: arm(100, 0, 3) }, { ...DEFAULT_ANALYSIS, maxP99Ms: 1 });
    expect(absolute.reasons).toEqual([expect.stringMatching(/exceeds maxP99Ms 1 ms/)]);
    // Too few stable requests: no relative latency comparison.
    expect(analyseWindow({ stable: arm(3, 0, 0), candidate: arm(100, 0, 8) }, DEFAULT_ANALYSIS).verdict).toBe('healthy');
  });

  it('compares p99 only once both arms have 100 requests: below that a p99 is the maximum', () => {
    const few = analyseWindow({ stable: arm(1000, 0, 3), candidate: arm(99, 0, 12) }, { ...DEFAULT_ANALYSIS, maxP99Ms: 1 });
    expect(few.verdict).toBe('healthy');
    expect(few.candidate.p99Ms).not.toBeNull();
  });

  it('applies an absolute error-rate ceiling', () => {
    const r = analyseWindow({ stable: arm(1000, 100), candidate: arm(100, 10) }, { ...DEFAULT_ANALYSIS, maxErrorRate: 0.05 });
    expect(r.reasons).toEqual([expect.stringMatching(/exceeds maxErrorRate 5.00%/)]);
  });
});
