import { PullSchedule } from '../../src/pull/index';

describe('PullSchedule', () => {
  const settings = { intervalMs: 1000, jitterMs: 0, maxBackoffMs: 10_000 };

  it('waits the interval after a success', () => {
    const schedule = new PullSchedule(settings, () => 0.5);
    expect(schedule.next('success')).toBe(1000);
    expect(schedule.next('success')).toBe(1000);
    expect(schedule.failures).toBe(0);
  });

  it('doubles from the interval on consecutive failures, up to the cap, and resets on a success', () => {
    const schedule = new PullSchedule(settings, () => 0);
    const waits = [1, 2, 3, 4, 5, 6].map(() => schedule.next('failure'));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(schedule.failures).toBe(6);
    expect(schedule.next('success')).toBe(1000);
    expect(schedule.failures).toBe(0);
    expect(schedule.next('failure')).toBe(1000);
  });

  it('stays at the cap however long the source is down', () => {
    const schedule = new PullSchedule(settings, () => 0);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = schedule.next('failure');
    expect(last).toBe(10_000);
  });

  it('adds a jitter of 0 to jitterMs from the injected random source', () => {
    const low = new PullSchedule({ ...settings, jitterMs: 300 }, () => 0);
    const high = new PullSchedule({ ...settings, jitterMs: 300 }, () => 0.999_999);
    const middle = new PullSchedule({ ...settings, jitterMs: 300 }, () => 0.5);
    expect(low.next('success')).toBe(1000);
    expect(high.next('success')).toBe(1300);
    expect(middle.next('success')).toBe(1150);
    expect(high.next('failure')).toBe(1300);
    expect(high.next('failure')).toBe(2300);
  });

  it('never waits less than the interval, even with a cap below it', () => {
    const schedule = new PullSchedule({ intervalMs: 5000, jitterMs: 0, maxBackoffMs: 1000 }, () => 0);
    expect(schedule.next('failure')).toBe(5000);
    expect(schedule.next('failure')).toBe(5000);
  });
});
