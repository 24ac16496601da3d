import { LeastRequestBalancer, RandomBalancer, createBalancer } from '@weir/dataplane';
import { avoiding, makeStates, makeView, seededRandom, tally } from '../helpers/balancing';

/** Chi-square-free tolerance check: each share within `tol` of its expected fraction. */
function expectShares(counts: readonly number[], expected: readonly number[], tol: number): void {
  const total = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs((counts[i] as number) / total - (expected[i] as number))).toBeLessThan(tol);
  }
}

describe('RandomBalancer', () => {
  it('draws endpoints in proportion to their weights', () => {
    const b = new RandomBalancer(makeView(3), [1, 2, 7], seededRandom(1));
    expectShares(tally(b, 3, 20_000), [0.1, 0.2, 0.7], 0.01);
  });

  it('redraws past unavailable endpoints', () => {
    const states = makeStates(3);
    states[2]!.healthy = false;
    const b = new RandomBalancer(makeView(states, { checked: true }), [1, 1, 1], seededRandom(2));
    const counts = tally(b, 3, 10_000);
    expect(counts[2]).toBe(0);
    expectShares(counts, [0.5, 0.5, 0], 0.02);
  });

  it('spreads over every endpoint in panic mode', () => {
    const states = makeStates(4, false);
    states[0]!.healthy = true;
    const b = new RandomBalancer(makeView(states, { checked: true, panicThresholdPercent: 50 }), [1, 1, 1, 1], seededRandom(3));
    expectShares(tally(b, 4, 20_000), [0.25, 0.25, 0.25, 0.25], 0.02);
  });
});

describe('LeastRequestBalancer', () => {
  it('follows the weights when idle (every tie keeps the first, weighted draw)', () => {
    const b = new LeastRequestBalancer(makeView(3), [1, 1, 2], seededRandom(4));
    const counts = tally(b, 3, 20_000);
    expect(Math.abs((counts[2] as number) / 20_000 - 0.5)).toBeLessThan(0.02);
  });

  it('takes the less loaded of its two draws', () => {
    const states = makeStates(2);
    states[0]!.active = 10;
    const b = new LeastRequestBalancer(makeView(states), [1, 1], seededRandom(5));
    const counts = tally(b, 2, 10_000);
    // Endpoint 0 wins only when both draws are 0 (1/4 of the time).
    expect(Math.abs((counts[0] as number) / 10_000 - 0.25)).toBeLessThan(0.02);
  });

  it('evens out load when requests stay in flight', () => {
    const states = makeStates(4);
    const b = new LeastRequestBalancer(makeView(states), [1, 1, 1, 1], seededRandom(6));
    for (let i = 0; i < 4000; i++) states[b.pick(-1, null)]!.active++;
    const loads = states.map((s) => s.active);
    // Power of two choices keeps the spread tiny (random would be ~±60 here).
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(3);
  });

  it('skips unavailable and filtered endpoints', () => {
    const states = makeStates(3);
    states[1]!.ejectedUntil = Number.MAX_SAFE_INTEGER;
    const b = createBalancer('least_request', makeView(states), ['a:1', 'b:1', 'c:1'], [1, 1, 1], { random: seededRandom(7) });
    expect(tally(b, 3, 3000, undefined, avoiding(0))).toEqual([0, 0, 3000, 0]);
  });
});
