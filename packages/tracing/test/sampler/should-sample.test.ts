import { RandomIds, shouldSample, type SamplingPolicy, type TraceParent } from '@weir/tracing';
import { seededFill } from '../support/fakes';

const policy = (ratio: number, parentBased = true): SamplingPolicy => ({ ratio, parentBased, keepErrors: false });
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const parent = (sampled: boolean): TraceParent => ({ traceId: TRACE, parentId: '00f067aa0ba902b7', sampled });

describe('shouldSample', () => {
  it('follows the parent flag when parent-based', () => {
    expect(shouldSample(policy(0), null, parent(true), TRACE)).toBe(true);
    expect(shouldSample(policy(1), null, parent(false), TRACE)).toBe(false);
    expect(shouldSample(policy(1), 0, parent(true), TRACE)).toBe(true);
  });

  it('ignores the parent flag when not parent-based', () => {
    expect(shouldSample(policy(0, false), null, parent(true), TRACE)).toBe(false);
    expect(shouldSample(policy(1, false), null, parent(false), TRACE)).toBe(true);
  });

  it('never samples at ratio 0 and always at ratio 1', () => {
    const ids = new RandomIds(seededFill(1));
    for (let i = 0; i < 1000; i++) {
      const id = ids.traceId();
      expect(shouldSample(policy(0), null, null, id)).toBe(false);
      expect(shouldSample(policy(1), null, null, id)).toBe(true);
    }
    expect(shouldSample(policy(0), null, null, 'f'.repeat(32))).toBe(false);
    expect(shouldSample(policy(Number.NaN), null, null, 'f'.repeat(32))).toBe(false);
  });

  it('lets the route ratio override the policy ratio', () => {
    expect(shouldSample(policy(0), 1, null, TRACE)).toBe(true);
    expect(shouldSample(policy(1), 0, null, TRACE)).toBe(false);
  });

  it('decides from the low 56 bits of the trace id only', () => {
    // threshold for 0.5 is 2^55: low 56 bits 0x80000000000000 is the first sampled value.
    expect(shouldSample(policy(0.5), null, null, 'ffffffffffffffffff80000000000000')).toBe(true);
    expect(shouldSample(policy(0.5), null, null, '000000000000000000' + '80000000000000')).toBe(true);
    expect(shouldSample(policy(0.5), null, null, 'ffffffffffffffffff7fffffffffffff')).toBe(false);
    expect(shouldSample(policy(0.5), null, null, '00000000000000000080000000000001')).toBe(true);
    expect(shouldSample(policy(0.25), null, null, 'abcdefabcdefabcdefbfffffffffffff')).toBe(false);
    expect(shouldSample(policy(0.25), null, null, 'abcdefabcdefabcdefc0000000000000')).toBe(true);
  });

  it('samples about 25% of 10,000 random trace ids at ratio 0.25 (within 4 sigma)', () => {
    const ids = new RandomIds(seededFill(2024));
    const n = 10_000;
    let sampled = 0;
    for (let i = 0; i < n; i++) if (shouldSample(policy(0.25), null, null, ids.traceId())) sampled++;
    const sigma = Math.sqrt(n * 0.25 * 0.75);
    expect(Math.abs(sampled - n * 0.25)).toBeLessThan(4 * sigma);
  });

  it('is monotonic: a trace sampled at some ratio is sampled at every higher ratio', () => {
    const ids = new RandomIds(seededFill(99));
    for (let i = 0; i < 500; i++) {
      const id = ids.traceId();
      let before = false;
      for (const r of [0.01, 0.1, 0.25, 0.5, 0.75, 0.99]) {
        const now = shouldSample(policy(r), null, null, id);
        if (before) expect(now).toBe(true);
        before = now;
      }
    }
  });
});
