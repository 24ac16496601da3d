import * as path from 'node:path';

interface Sample { pid: number; t: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }
interface Sum { heapTotal: number; heapUsed: number; external: number }
const sampler = require(path.join(__dirname, '..', 'lib', 'worker-heap-sampler.js')) as {
  readHeapSamples(text: string): Sample[];
  heapSummary(samples: Sample[], loadStart: number, loadEnd: number): { before: Sum; end: Sum; peakHeapTotal: number } | null;
};

const sample = (pid: number, t: number, heapTotal: number, external = 0): Sample =>
  ({ pid, t, heapTotal, heapUsed: heapTotal / 2, external, arrayBuffers: 0 });

describe('worker heap samples (cache-memory --heap)', () => {
  test('the sampler lines are read back from a daemon log among other lines; a cut line is skipped', () => {
    const log = [
      '{"level":30,"msg":"weir ready"}',
      `WEIR_HEAP ${JSON.stringify(sample(7, 1000, 100))}`,
      'WEIR_HEAP {"pid":7,"t":20',
      `[worker 2] WEIR_HEAP ${JSON.stringify(sample(8, 1500, 50))}`,
    ].join('\n');
    expect(sampler.readHeapSamples(log)).toEqual([sample(7, 1000, 100), sample(8, 1500, 50)]);
  });

  test('before and end sum each worker\'s last sample at that time; the peak sums each worker\'s latest', () => {
    const samples = [
      sample(1, 900, 10, 1), sample(2, 950, 20, 2),
      sample(1, 1900, 40), sample(2, 1950, 30),
      sample(1, 2900, 15), sample(2, 2950, 60, 5),
      sample(1, 3900, 90), // after the load
    ];
    const h = sampler.heapSummary(samples, 1000, 3000);
    expect(h).not.toBeNull();
    expect(h!.before).toEqual({ heapTotal: 30, heapUsed: 15, external: 3 });
    expect(h!.end).toEqual({ heapTotal: 75, heapUsed: 37.5, external: 5 });
    // 40 + 20 (t 1900), 40 + 30 (1950), 15 + 30 (2900), 15 + 60 (2950): the most is 75.
    expect(h!.peakHeapTotal).toBe(75);
  });

  test('a worker with no sample before the load counts with its first one; no samples at all give null', () => {
    const h = sampler.heapSummary([sample(3, 1500, 12)], 1000, 2000);
    expect(h!.before.heapTotal).toBe(12);
    expect(sampler.heapSummary([], 0, 1)).toBeNull();
  });
});
