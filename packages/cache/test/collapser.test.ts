import { Collapser, LEADER } from '@weir/cache';
import { entry, FakeClock } from './support/fixtures';

describe('Collapser', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('makes the first request the leader and hands waiters its entry', async () => {
    expect.assertions(5);
    const c = new Collapser(new FakeClock(), 1000);
    expect(c.join('k')).toBe(LEADER);
    const w1 = c.join('k') as Promise<unknown>;
    const w2 = c.join('k') as Promise<unknown>;
    expect(c.collapsed).toBe(2);
    const e = entry({ 'cache-control': 'max-age=60' });
    c.release('k', e);
    await expect(w1).resolves.toBe(e);
    await expect(w2).resolves.toBe(e);
    expect(c.join('k')).toBe(LEADER);
  });

  it('resolves waiters with null when the leader had nothing cacheable', async () => {
    expect.assertions(2);
    const c = new Collapser(new FakeClock(), 1000);
    c.join('k');
    const w = c.join('k') as Promise<unknown>;
    c.release('k', null);
    await expect(w).resolves.toBeNull();
    expect(c.inFlight).toBe(0);
  });

  it('times waiters out with null after the collapse timeout', async () => {
    expect.assertions(3);
    const c = new Collapser(new FakeClock(), 1000);
    c.join('k');
    const w = c.join('k') as Promise<unknown>;
    jest.advanceTimersByTime(999);
    c.join('other');
    jest.advanceTimersByTime(1);
    await expect(w).resolves.toBeNull();
    expect(c.timeouts).toBe(1);
    c.release('k', entry({}));
    expect(c.inFlight).toBe(1);
  });

  it('sends requests beyond the waiter cap upstream', async () => {
    expect.assertions(2);
    const c = new Collapser(new FakeClock(), 1000, 1);
    c.join('k');
    c.join('k');
    await expect(c.join('k') as Promise<unknown>).resolves.toBeNull();
    expect(c.collapsed).toBe(1);
  });

  it('lets a new leader take over a flight older than the timeout', () => {
    const clock = new FakeClock();
    const c = new Collapser(clock, 1000);
    c.join('k');
    clock.advance(1000);
    expect(c.join('k')).toBe(LEADER);
  });

  it('uses injected timers', () => {
    const calls: number[] = [];
    const c = new Collapser(new FakeClock(), 50, 10, {
      setTimeout: (_fn, ms) => calls.push(ms),
      clearTimeout: () => undefined,
    });
    c.join('k');
    void c.join('k');
    expect(calls).toEqual([50]);
  });
});

describe('Collapser.lead (background refresh)', () => {
  it('leads when nothing is in flight, skips while a flight is live, leads again after release or timeout', () => {
    let now = 0;
    const collapser = new Collapser({ now: () => now }, 1000);
    expect(collapser.lead('k')).toBe(true);
    expect(collapser.lead('k')).toBe(false);
    collapser.release('k', null);
    expect(collapser.lead('k')).toBe(true);
    now = 1000;
    expect(collapser.lead('k')).toBe(true);
  });
});
