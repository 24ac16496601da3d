import { TrafficPlan } from '@weir/dataplane';
import { mulberry32 } from './mulberry32';

/** Picks `n` times and returns the share of each group. */
function shares(plan: TrafficPlan, n: number): number[] {
  const c = new Array<number>(plan.upstreams.length).fill(0);
  for (let i = 0; i < n; i++) {
    const g = plan.pick();
    c[g] = (c[g] as number) + 1;
  }
  return c.map((v) => v / n);
}

/** Five standard deviations of a binomial share: fails by chance about once in 1.7 million runs, and never with a fixed seed. */
function tolerance(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

describe('TrafficPlan', () => {
  it('returns the only group without drawing a random number', () => {
    const plan = new TrafficPlan([{ upstream: 'a', weight: 3 }], () => {
      throw new Error('random must not be called');
    });
    expect(plan.pick()).toBe(0);
    expect(plan.upstreams).toEqual(['a']);
  });

  it('splits by weight within statistical tolerance', () => {
    const n = 200_000;
    const plan = new TrafficPlan(
      [
        { upstream: 'stable', weight: 7 },
        { upstream: 'canary', weight: 1 },
        { upstream: 'beta', weight: 2 },
      ],
      mulberry32(1),
    );
    expect(plan.upstreams).toEqual(['stable', 'canary', 'beta']);
    const got = shares(plan, n);
    const want = [0.7, 0.1, 0.2];
    for (let i = 0; i < want.length; i++) {
      expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tolerance(want[i] as number, n));
    }
  });

  it('keeps large weights proportional after the table is capped', () => {
    const n = 200_000;
    const plan = new TrafficPlan(
      [
        { upstream: 'a', weight: 9999 },
        { upstream: 'b', weight: 1 },
      ],
      mulberry32(2),
    );
    const got = shares(plan, n);
    // The capped table holds b once in 4096 entries (exact share 1/10000).
    expect(Math.abs((got[1] as number) - 1 / 4096)).toBeLessThan(tolerance(1 / 4096, n));
    expect(got[1]).toBeGreaterThan(0);
  });

  it('uses Math.random by default', () => {
    const plan = new TrafficPlan([
      { upstream: 'a', weight: 1 },
      { upstream: 'b', weight: 1 },
    ]);
    for (let i = 0; i < 100; i++) expect([0, 1]).toContain(plan.pick());
  });

  it('rejects an empty split or a bad weight with WEIR_ERR_INTERNAL', () => {
    expect(() => new TrafficPlan([])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => new TrafficPlan([{ upstream: 'a', weight: 0 }])).toThrow(
      expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }),
    );
  });
});
