import { requestDurationBuckets } from '@weir/obs';
import { StatsSampler, p99UpperBound, readRequestTotals, statsSample, type IntervalTimers, type RequestFamilyLike } from '../../src/admin/index';

/** Families as the aggregator reports them: requests by status and arm, durations by arm. */
function families(arms: Partial<Record<'stable' | 'candidate', { ok: number; errors: number; durations: readonly number[] }>>): RequestFamilyLike[] {
  const requests: { labels: Record<string, string>; value: number }[] = [];
  const durations: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
  for (const [arm, a] of Object.entries(arms)) {
    requests.push({ labels: { route: 'r', upstream: 'u', status: '200', arm }, value: a.ok });
    requests.push({ labels: { route: 'r', upstream: 'u', status: '503', arm }, value: a.errors });
    for (const bound of [...requestDurationBuckets, '+Inf' as const]) {
      const count = a.durations.filter((d) => bound === '+Inf' || d <= bound).length;
      durations.push({ labels: { route: 'r', upstream: 'u', arm, le: bound }, value: count, metricName: 'weir_request_duration_seconds_bucket' });
    }
  }
  return [
    { name: 'weir_requests_total', values: requests },
    { name: 'weir_request_duration_seconds', values: durations },
  ];
}

const repeat = (n: number, value: number): number[] => new Array<number>(n).fill(value);

describe('stats computation (pure)', () => {
  it('computes rate, error share and p99 from the deltas of two family snapshots', () => {
    const start = readRequestTotals(families({ stable: { ok: 10, errors: 0, durations: repeat(10, 0.003) } }));
    const end = readRequestTotals(
      families({ stable: { ok: 10 + 24, errors: 1, durations: [...repeat(10, 0.003), ...repeat(24, 0.004), 0.2] } }),
    );
    const sample = statsSample(start, end, 2_000, '2026-12-06T21:00:02.000Z', false);
    expect(sample).toEqual({
      at: '2026-12-06T21:00:02.000Z',
      requestsPerSecond: 12.5,
      errorRatio: 1 / 25,
      // 25 observations: the 99th percentile (rank 24.75) is the 0.2 s one, in the 0.25 bucket.
      p99Seconds: 0.25,
      arms: { stable: { requestsPerSecond: 12.5, errorRatio: 1 / 25, p99Seconds: 0.25 }, candidate: null },
    });
  });

  it('reports no error share and no p99 for an interval without requests', () => {
    const snap = readRequestTotals(families({ stable: { ok: 5, errors: 0, durations: repeat(5, 0.01) } }));
    expect(statsSample(snap, snap, 2_000, 'x', false)).toMatchObject({ requestsPerSecond: 0, errorRatio: null, p99Seconds: null });
  });

  it('reports the candidate arm while a rollout is live or when it served requests', () => {
    const start = readRequestTotals(families({ stable: { ok: 0, errors: 0, durations: [] }, candidate: { ok: 0, errors: 0, durations: [] } }));
    const quiet = statsSample(start, start, 2_000, 'x', true);
    expect(quiet.arms.candidate).toEqual({ requestsPerSecond: 0, errorRatio: null, p99Seconds: null });
    const end = readRequestTotals(families({ stable: { ok: 8, errors: 0, durations: repeat(8, 0.001) }, candidate: { ok: 1, errors: 1, durations: [0.02, 0.03] } }));
    const busy = statsSample(start, end, 2_000, 'x', false);
    expect(busy.arms.candidate).toEqual({ requestsPerSecond: 1, errorRatio: 0.5, p99Seconds: 0.05 });
    expect(busy).toMatchObject({ requestsPerSecond: 5, errorRatio: 0.1 });
  });

  it('never reports a negative rate across a counter reset', () => {
    const high = readRequestTotals(families({ stable: { ok: 100, errors: 0, durations: repeat(100, 0.001) } }));
    const low = readRequestTotals(families({ stable: { ok: 1, errors: 0, durations: [0.001] } }));
    expect(statsSample(high, low, 2_000, 'x', false).requestsPerSecond).toBe(0);
  });

  it('takes the bucket upper bound, and the largest finite bound beyond the last', () => {
    const last = requestDurationBuckets.length;
    const cumulative = (counts: Record<number, number>): number[] => {
      const out: number[] = [];
      let sum = 0;
      for (let i = 0; i <= last; i++) out.push((sum += counts[i] ?? 0));
      return out;
    };
    expect(p99UpperBound(cumulative({}))).toBeNull();
    expect(p99UpperBound(cumulative({ 0: 100 }))).toBe(requestDurationBuckets[0]);
    expect(p99UpperBound(cumulative({ 0: 98, 3: 2 }))).toBe(requestDurationBuckets[3]);
    expect(p99UpperBound(cumulative({ [last]: 1 }))).toBe(requestDurationBuckets[last - 1]);
  });
});

/** Timers the test fires by hand. */
class ManualTimers implements IntervalTimers {
  callbacks = new Map<number, () => void>();
  private next = 0;
  setInterval(callback: () => void): unknown {
    this.callbacks.set(++this.next, callback);
    return this.next;
  }
  clearInterval(handle: unknown): void {
    this.callbacks.delete(handle as number);
  }
}

describe('StatsSampler', () => {
  let now = 0;
  let wall = Date.parse('2026-12-06T21:00:00.000Z');
  let requests = 0;
  let timers: ManualTimers;
  let sampler: StatsSampler;
  let collections = 0;

  beforeEach(() => {
    now = 0;
    wall = Date.parse('2026-12-06T21:00:00.000Z');
    requests = 0;
    collections = 0;
    timers = new ManualTimers();
    sampler = new StatsSampler({
      families: async () => {
        collections++;
        return families({ stable: { ok: requests, errors: 0, durations: repeat(requests, 0.001) } });
      },
      now: () => now,
      wallClock: () => wall,
      timers,
      keepMs: 10_000,
    });
  });

  afterEach(() => sampler.close());

  const advance = async (ms: number): Promise<void> => {
    now += ms;
    wall += ms;
    await sampler.tick();
  };

  it('starts on the first read with a baseline, then keeps one sample per interval', async () => {
    expect.assertions(5);
    expect(sampler.read(300)).toEqual([]);
    expect(sampler.sampling).toBe(true);
    await sampler.tick(); // the baseline the read started
    requests = 10;
    await advance(2_000);
    requests = 30;
    await advance(2_000);
    const samples = sampler.read(300);
    expect(samples.map((s) => [s.at, s.requestsPerSecond])).toEqual([
      ['2026-12-06T21:00:02.000Z', 5],
      ['2026-12-06T21:00:04.000Z', 10],
    ]);
    expect(sampler.read(1).map((s) => s.at)).toEqual(['2026-12-06T21:00:04.000Z']);
    expect(collections).toBe(3);
  });

  it('keeps at most keepMs of samples in its ring', async () => {
    expect.assertions(2);
    sampler.read(900);
    await sampler.tick();
    for (let i = 0; i < 8; i++) {
      requests += 2;
      await advance(2_000);
      sampler.read(900);
    }
    const samples = sampler.read(900);
    expect(samples).toHaveLength(5);
    expect(samples.at(-1)?.at).toBe(new Date(wall).toISOString());
  });

  it('stops sampling when nobody read for a minute, and takes a fresh baseline when read again', async () => {
    expect.assertions(4);
    sampler.read(300);
    await sampler.tick();
    await advance(2_000);
    await advance(61_000);
    expect(sampler.sampling).toBe(false);
    expect(timers.callbacks.size).toBe(0);
    requests = 1_000;
    sampler.read(300);
    await sampler.tick(); // the baseline the read started
    requests = 1_010;
    await advance(2_000);
    // The 1000 requests of the pause do not show up as one huge interval.
    expect(sampler.read(10).map((s) => s.requestsPerSecond)).toEqual([5]);
    expect(sampler.sampling).toBe(true);
  });
});
