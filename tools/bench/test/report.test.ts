import * as path from 'node:path';

// The bench is plain CommonJS JavaScript (run with node, no build); its report math is tested here.
interface Cell {
  scenario: string;
  target: string;
  round: number;
  result: { rps: number; cpuUsPerRequest?: number } | null;
}
interface Interval { n: number; rps: number; low: number; high: number }
const report = require(path.join(__dirname, '..', 'lib', 'report.js')) as {
  pairedRatios(cells: Cell[], scenario: string, variant: string, base: string): { n: number; rps: number; cpu: number | null } | null;
  instanceInterval(cells: Cell[], scenario: string, variant: string, base: string, restartEvery: number): Interval | null;
};

/** Cells of `rounds` rounds: base at 1000 req/s, the variant at 1000 x ratios[round - 1]. */
function cells(ratios: number[]): Cell[] {
  const out: Cell[] = [];
  ratios.forEach((r, i) => {
    out.push({ scenario: 'small', target: 'weir', round: i + 1, result: { rps: 1000, cpuUsPerRequest: 50 } });
    out.push({ scenario: 'small', target: 'weir-x', round: i + 1, result: { rps: 1000 * r, cpuUsPerRequest: 50 / r } });
  });
  return out;
}

describe('bench report: same-round pairs', () => {
  test('the median of the per-round ratios, for req/s and CPU per request', () => {
    const p = report.pairedRatios(cells([0.9, 1.0, 1.2]), 'small', 'weir-x', 'weir');
    expect(p).not.toBeNull();
    expect(p!.n).toBe(3);
    expect(p!.rps).toBeCloseTo(1.0, 10);
    expect(p!.cpu).toBeCloseTo(1.0, 10);
  });

  test('a round where one side failed is no pair; fewer than 2 pairs give nothing', () => {
    const c = cells([0.9, 1.1]);
    (c[1] as Cell).result = null;
    expect(report.pairedRatios(c, 'small', 'weir-x', 'weir')).toBeNull();
  });
});

describe('bench report: interval over daemon instances', () => {
  test('no restarts, or fewer than 3 blocks of rounds: no interval', () => {
    const c = cells([0.9, 1.0, 1.1, 1.0]);
    expect(report.instanceInterval(c, 'small', 'weir-x', 'weir', 0)).toBeNull();
    expect(report.instanceInterval(c, 'small', 'weir-x', 'weir', 2)).toBeNull();
  });

  test("three one-round blocks: the geometric mean with Student's t (2 degrees of freedom)", () => {
    // Log ratios 0.1, 0, -0.1: mean 0, standard deviation 0.1, half width 4.303 x 0.1 / sqrt(3).
    const i = report.instanceInterval(cells([Math.exp(0.1), 1, Math.exp(-0.1)]), 'small', 'weir-x', 'weir', 1);
    const half = (4.303 * 0.1) / Math.sqrt(3);
    expect(i).not.toBeNull();
    expect(i!.n).toBe(3);
    expect(i!.rps).toBeCloseTo(1, 10);
    expect(i!.low).toBeCloseTo(Math.exp(-half), 10);
    expect(i!.high).toBeCloseTo(Math.exp(half), 10);
  });

  test('a block is the sample: rounds of one block are averaged first', () => {
    // Blocks of 2 rounds: (0.2, 0) -> 0.1, (0, 0) -> 0, (-0.1, -0.1) -> -0.1: as the case above.
    const ratios = [0.2, 0, 0, 0, -0.1, -0.1].map((x) => Math.exp(x));
    const i = report.instanceInterval(cells(ratios), 'small', 'weir-x', 'weir', 2);
    const half = (4.303 * 0.1) / Math.sqrt(3);
    expect(i!.n).toBe(3);
    expect(i!.low).toBeCloseTo(Math.exp(-half), 10);
    expect(i!.high).toBeCloseTo(Math.exp(half), 10);
  });

  test('identical blocks give a zero-width interval at their ratio', () => {
    const i = report.instanceInterval(cells([0.95, 0.95, 0.95, 0.95]), 'small', 'weir-x', 'weir', 1);
    expect(i!.n).toBe(4);
    expect(i!.rps).toBeCloseTo(0.95, 10);
    expect(i!.low).toBeCloseTo(0.95, 10);
    expect(i!.high).toBeCloseTo(0.95, 10);
  });
});
