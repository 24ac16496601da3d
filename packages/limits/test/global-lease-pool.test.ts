import { GlobalLeasePool, LeaseBank, type GlobalTokenSource, type LeaseGrant, type LeaseRequest } from '@weir/limits';
import { FakeClock } from './fake-clock';

const req = (key: string, want = 5): LeaseRequest => ({ limitId: 'g', ratePerSecond: 1000, burst: 100, scope: 'global', key, want });

/** A source answering every take with `grant`, counting calls. */
function fixed(grant: LeaseGrant): GlobalTokenSource & { calls: number } {
  const source = {
    calls: 0,
    take: (): Promise<LeaseGrant> => {
      source.calls++;
      return Promise.resolve(grant);
    },
  };
  return source;
}

describe('GlobalLeasePool', () => {
  it('reports failing while the source is down or missing', async () => {
    expect.assertions(4);
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    expect(new GlobalLeasePool(clock.now, { source: null, fallback: bank }).failing()).toBe(true);
    const pool = new GlobalLeasePool(clock.now, {
      source: {
        take: () => {
          throw new Error('synchronous failure');
        },
      },
      fallback: bank,
      failureHoldMs: 500,
    });
    expect(pool.failing()).toBe(false);
    expect((await pool.grant(req('k'))).granted).toBe(5); // open: from the bank
    expect(pool.failing()).toBe(true);
  });

  it('gives up after a bounded number of rounds when other leases keep taking the batch', async () => {
    expect.assertions(2);
    const clock = new FakeClock();
    // Every take brings one token, and twenty leases wait: the last ones run out of rounds.
    const source = fixed({ granted: 1, retryAfterMs: 0, remaining: 0 });
    const pool = new GlobalLeasePool(clock.now, { source, fallback: new LeaseBank(clock.now) });
    const grants = await Promise.all(Array.from({ length: 20 }, () => pool.grant(req('k', 1))));
    expect(grants.filter((g) => g.granted === 1).length).toBe(15);
    expect(grants.filter((g) => g.granted === 0).every((g) => g.retryAfterMs === 1)).toBe(true);
  });

  it('backs off a refusal for at least the time one batch takes to accrue', async () => {
    expect.assertions(2);
    const clock = new FakeClock();
    const source = fixed({ granted: 0, retryAfterMs: 2, remaining: 0 });
    const pool = new GlobalLeasePool(clock.now, { source, fallback: new LeaseBank(clock.now) });
    // globalBatchSize(1000, 100) = 50 tokens = 50 ms at 1000/s.
    expect(await pool.grant(req('k'))).toEqual({ granted: 0, retryAfterMs: 50, remaining: 0 });
    clock.advance(49);
    await pool.grant(req('k'));
    expect(source.calls).toBe(1);
  });

  it('caps its keys, dropping idle entries first', async () => {
    expect.assertions(2);
    const clock = new FakeClock();
    const source = fixed({ granted: 0, retryAfterMs: 1000, remaining: 0 });
    const pool = new GlobalLeasePool(clock.now, { source, fallback: new LeaseBank(clock.now), maxKeys: 10 });
    for (let i = 0; i < 10; i++) await pool.grant(req(`k${i}`)); // all refused: entries hold a denial
    await pool.grant(req('new'));
    expect(pool.size).toBe(10);
    clock.advance(2000); // denials over: entries are idle
    await pool.grant(req('newer')); // every idle entry goes at once
    expect(pool.size).toBe(1);
  });

  it('sweep keeps entries with a take in flight or a refusal in force', async () => {
    expect.assertions(3);
    const clock = new FakeClock();
    let release: (grant: LeaseGrant) => void = () => undefined;
    const pool = new GlobalLeasePool(clock.now, {
      source: { take: () => new Promise<LeaseGrant>((resolve) => (release = resolve)) },
      fallback: new LeaseBank(clock.now),
    });
    const waiting = pool.grant(req('k'));
    await Promise.resolve();
    expect(pool.sweep()).toBe(0);
    release({ granted: 0, retryAfterMs: 100, remaining: 0 });
    await waiting;
    expect(pool.sweep()).toBe(0);
    clock.advance(100);
    expect(pool.sweep()).toBe(1);
  });

  it('drops give-backs of keys it no longer pools', () => {
    const clock = new FakeClock();
    const returned: number[] = [];
    const pool = new GlobalLeasePool(clock.now, {
      source: { take: () => Promise.reject(new Error('unused')), giveBack: (_l, _k, tokens) => returned.push(tokens) },
      fallback: new LeaseBank(clock.now),
    });
    pool.giveBack({ limitId: 'g', key: 'gone', scope: 'global', tokens: 4 });
    pool.giveBack({ limitId: 'g', key: 'gone', scope: 'global', tokens: 0 });
    expect(returned).toEqual([]);
  });
});

describe('GlobalLeasePool pooled tokens', () => {
  it('hands tokens pooled longer than the TTL back to the source before taking anew', async () => {
    expect.assertions(3);
    const clock = new FakeClock();
    const returned: number[] = [];
    let calls = 0;
    const pool = new GlobalLeasePool(clock.now, {
      source: {
        take: (_l, _k, want) => {
          calls++;
          return Promise.resolve({ granted: want, retryAfterMs: 0, remaining: 0 });
        },
        giveBack: (_l, _k, tokens) => returned.push(tokens),
      },
      fallback: new LeaseBank(clock.now),
      leaseTtlMs: 1000,
    });
    await pool.grant(req('k')); // takes 50, leases 5, pools 45
    clock.advance(1000);
    expect((await pool.grant(req('k'))).granted).toBe(5);
    expect(returned).toEqual([45]);
    expect(calls).toBe(2);
  });
});
