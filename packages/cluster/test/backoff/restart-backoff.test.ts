import { RestartBackoff, type Clock } from '../../src/backoff/index';

class FakeClock implements Clock {
  t = 1_000;
  now(): number {
    return this.t;
  }
}

describe('RestartBackoff', () => {
  it('doubles from 100 ms up to the 10 s cap while runs stay short', () => {
    const clock = new FakeClock();
    const backoff = new RestartBackoff(clock);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      backoff.started();
      clock.t += 50;
      delays.push(backoff.exited());
    }
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000, 10000]);
  });

  it('resets after a run of at least 30 s', () => {
    const clock = new FakeClock();
    const backoff = new RestartBackoff(clock);
    for (let i = 0; i < 4; i++) {
      backoff.started();
      backoff.exited();
    }
    backoff.started();
    clock.t += 29_999;
    expect(backoff.exited()).toBe(1600);
    backoff.started();
    clock.t += 30_000;
    expect(backoff.exited()).toBe(100);
  });

  it('treats an exit without a recorded start as a short run', () => {
    const backoff = new RestartBackoff(new FakeClock(), { initialMs: 5, maxMs: 20 });
    expect([backoff.exited(), backoff.exited(), backoff.exited(), backoff.exited()]).toEqual([5, 10, 20, 20]);
  });

  it('never overflows, however long the crash loop', () => {
    const backoff = new RestartBackoff(new FakeClock());
    let last = 0;
    for (let i = 0; i < 5_000; i++) last = backoff.exited();
    expect(last).toBe(10_000);
  });

  it('rejects inconsistent options with a code', () => {
    expect(() => new RestartBackoff(new FakeClock(), { initialMs: 500, maxMs: 100 })).toThrow(
      expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }),
    );
    expect(() => new RestartBackoff(new FakeClock(), { factor: 0.5 })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});
