import { WeightedTable } from '@weir/dataplane';
import { mulberry32 } from './mulberry32';

/** The whole table, read through `next()` from the start. */
function cycle(table: WeightedTable): number[] {
  const out: number[] = [];
  for (let i = 0; i < table.length; i++) out.push(table.next());
  return out;
}

function counts(seq: readonly number[], n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const v of seq) c[v] = (c[v] as number) + 1;
  return c;
}

/**
 * Largest deviation |picks of i among m entries - m * w_i / W| over every window of the cyclic
 * sequence (`cyclic`), or over prefixes only (the first m entries).
 *
 * With lag D(k) = picks of i in the first k entries - k * w_i / W, a window [s, e) deviates by
 * |D(e) - D(s)|. D has period W, so over cyclic windows the worst is max D - min D, and over
 * prefixes it is max |D(k)| (D(0) = 0).
 */
function deviation(seq: readonly number[], weights: readonly number[], cyclic: boolean): number {
  const total = seq.length;
  let worst = 0;
  for (let i = 0; i < weights.length; i++) {
    const share = (weights[i] as number) / total;
    let picks = 0;
    let lo = 0;
    let hi = 0;
    for (let k = 1; k <= total; k++) {
      if (seq[k - 1] === i) picks++;
      const d = picks - k * share;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    worst = Math.max(worst, cyclic ? hi - lo : Math.max(hi, -lo));
  }
  return worst;
}

function randomWeights(rand: () => number, maxN: number, maxW: number): number[] {
  const n = 1 + Math.floor(rand() * maxN);
  const w: number[] = [];
  for (let i = 0; i < n; i++) w.push(1 + Math.floor(rand() * maxW));
  return w;
}

describe('WeightedTable', () => {
  it('interleaves picks by smooth weighted round robin', () => {
    expect(cycle(new WeightedTable([5, 1, 1]))).toEqual([0, 0, 1, 0, 2, 0, 0]);
    expect(cycle(new WeightedTable([1, 3]))).toEqual([1, 0, 1, 1]);
  });

  it('holds each index exactly its weight times', () => {
    const weights = [7, 3, 11, 1];
    const t = new WeightedTable(weights);
    expect(t.length).toBe(22);
    expect(counts(cycle(t), 4)).toEqual(weights);
  });

  it('spreads picks: within 1 of the ideal count from the start, within 2 in any cyclic window', () => {
    const rand = mulberry32(7);
    let worstPrefix = 0;
    let worstWindow = 0;
    for (let trial = 0; trial < 500; trial++) {
      const t = new WeightedTable(randomWeights(rand, 40, 100));
      const seq = cycle(t);
      worstPrefix = Math.max(worstPrefix, deviation(seq, t.weights, false));
      worstWindow = Math.max(worstWindow, deviation(seq, t.weights, true));
    }
    expect(worstPrefix).toBeLessThan(1);
    expect(worstWindow).toBeLessThan(2);
  });

  it('reduces weights by their gcd', () => {
    const t = new WeightedTable([2, 4, 6]);
    expect(t.length).toBe(6);
    expect(t.weights).toEqual([1, 2, 3]);
    expect(cycle(t)).toEqual(cycle(new WeightedTable([1, 2, 3])));
    expect(new WeightedTable([500, 500]).length).toBe(2);
  });

  it('maps equal weights to 0..n-1', () => {
    expect(cycle(new WeightedTable([3, 3, 3, 3]))).toEqual([0, 1, 2, 3]);
    expect(cycle(new WeightedTable([9]))).toEqual([0]);
  });

  it('caps the length at 4096, scaling weights in proportion and keeping each at least 1', () => {
    const skewed = new WeightedTable([10000, 1]);
    expect(skewed.length).toBeLessThanOrEqual(4096);
    expect(skewed.weights[1]).toBe(1);
    expect(skewed.weights[0]).toBeGreaterThan(4000);

    const split = new WeightedTable([3001, 7001]);
    expect(split.length).toBeLessThanOrEqual(4096);
    expect(Math.abs((split.weights[0] as number) / split.length - 3001 / 10002)).toBeLessThan(1 / 4096);
    expect(counts(cycle(split), 2)).toEqual(split.weights);
  });

  it('honours maxLength and raises it to the number of weights', () => {
    const small = new WeightedTable([5, 3], { maxLength: 4 });
    expect(small.length).toBe(3);
    expect(small.weights).toEqual([2, 1]);
    const many = new WeightedTable([1, 2, 3, 4, 5, 6], { maxLength: 4 });
    expect(many.length).toBe(6);
    expect(cycle(many).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('indexes more than 65536 entries', () => {
    const t = new WeightedTable(new Array<number>(70_000).fill(1));
    expect(t.length).toBe(70_000);
    expect(t.at(0.99999999)).toBe(69_999);
  });

  it('builds a large table for a thousand unequal weights', () => {
    const rand = mulberry32(11);
    const weights: number[] = [];
    for (let i = 0; i < 1000; i++) weights.push(rand() < 0.99 ? 1 + Math.floor(rand() * 3) : 40);
    const t = new WeightedTable(weights);
    expect(t.weights).toEqual(weights);
    expect(t.length).toBeGreaterThan(2000);
    const seq = cycle(t);
    expect(counts(seq, weights.length)).toEqual(t.weights);
    // The spread bound holds for a heavy index inside a large table too.
    const heavy = weights.indexOf(40);
    const share = t.weights[heavy] as number;
    const sub = seq.map((v) => (v === heavy ? 0 : 1));
    expect(deviation(sub, [share], true)).toBeLessThan(2);
  });

  it('falls back to one entry each when there are more weights than the cap', () => {
    const t = new WeightedTable([1, 2, 3, 4, 5, 6, 7], { maxLength: 5 });
    expect(t.weights).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(cycle(t)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('wraps next() and honours the start position', () => {
    const t = new WeightedTable([1, 1, 1], { start: 2 });
    expect([t.next(), t.next(), t.next(), t.next()]).toEqual([2, 0, 1, 2]);
    const back = new WeightedTable([1, 1, 1], { start: -1 });
    expect(back.next()).toBe(2);
    const over = new WeightedTable([1, 1, 1], { start: 7.9 });
    expect(over.next()).toBe(1);
  });

  it('maps a uniform r in [0, 1) onto the table with at()', () => {
    const t = new WeightedTable([5, 1, 1]);
    expect(t.at(0)).toBe(0);
    expect(t.at(2.5 / 7)).toBe(1);
    expect(t.at(4.5 / 7)).toBe(2);
    expect(t.at(0.9999999)).toBe(0);
  });

  it.each([[[]], [[0]], [[1, -1]], [[1.5]], [[Number.NaN]], [[Number.POSITIVE_INFINITY]]])(
    'rejects weights %p with WEIR_ERR_INTERNAL',
    (weights) => {
      expect(() => new WeightedTable(weights)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    },
  );
});
