import {
  FailureRatioBreaker,
  ADMIT_DENIED,
  ADMIT_NORMAL,
  ADMIT_PROBE,
  BREAKER_CLOSED,
  BREAKER_HALF_OPEN,
  BREAKER_OPEN,
  monotonicClock,
  type BreakerState,
  type FailureRatioOptions,
} from '../../src/breaker/index';

class FakeClock {
  t = 5_000;
  now(): number {
    return this.t;
  }
}

const OPTIONS: FailureRatioOptions = { threshold: 0.5, minimumRequests: 4, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 2 };

function setup(overrides: Partial<FailureRatioOptions> = {}) {
  const clock = new FakeClock();
  const states: BreakerState[] = [];
  const breaker = new FailureRatioBreaker({ ...OPTIONS, ...overrides }, clock, { onStateChange: (s) => states.push(s) });
  return { clock, states, breaker };
}

function attempt(breaker: FailureRatioBreaker, success: boolean): void {
  const a = breaker.allow();
  expect(a).toBe(ADMIT_NORMAL);
  breaker.record(a, success);
}

function open(breaker: FailureRatioBreaker): void {
  for (let i = 0; i < 4; i++) attempt(breaker, false);
  expect(breaker.state).toBe(BREAKER_OPEN);
}

describe('FailureRatioBreaker', () => {
  it('stays closed below minimumRequests, whatever the ratio', () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i++) attempt(breaker, false);
    expect(breaker.state).toBe(BREAKER_CLOSED);
  });

  it('opens once the failure share reaches the threshold', () => {
    const { breaker, states } = setup();
    attempt(breaker, true);
    attempt(breaker, true);
    attempt(breaker, false);
    expect(breaker.state).toBe(BREAKER_CLOSED);
    attempt(breaker, false);
    expect(breaker.state).toBe(BREAKER_OPEN);
    expect(states).toEqual([BREAKER_OPEN]);
    expect(breaker.opens).toBe(1);
  });

  it('never opens on successes', () => {
    const { breaker } = setup();
    for (let i = 0; i < 100; i++) attempt(breaker, true);
    expect(breaker.state).toBe(BREAKER_CLOSED);
  });

  it('denies every attempt while open, then lets halfOpenProbes probes through', () => {
    const { breaker, clock, states } = setup();
    open(breaker);
    clock.t += 4_999;
    expect(breaker.allow()).toBe(ADMIT_DENIED);
    clock.t += 1;
    expect(breaker.allow()).toBe(ADMIT_PROBE);
    expect(breaker.state).toBe(BREAKER_HALF_OPEN);
    expect(breaker.allow()).toBe(ADMIT_PROBE);
    expect(breaker.allow()).toBe(ADMIT_DENIED);
    expect(states).toEqual([BREAKER_OPEN, BREAKER_HALF_OPEN]);
  });

  it('closes when every probe succeeds, with a fresh window', () => {
    const { breaker, clock, states } = setup();
    open(breaker);
    clock.t += 5_000;
    const a = breaker.allow();
    const b = breaker.allow();
    breaker.record(a, true);
    expect(breaker.state).toBe(BREAKER_HALF_OPEN);
    breaker.record(b, true);
    expect(breaker.state).toBe(BREAKER_CLOSED);
    expect(states).toEqual([BREAKER_OPEN, BREAKER_HALF_OPEN, BREAKER_CLOSED]);
    for (let i = 0; i < 3; i++) attempt(breaker, false);
    expect(breaker.state).toBe(BREAKER_CLOSED);
  });

  it('re-opens on a failed probe, for another openMs', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.t += 5_000;
    const a = breaker.allow();
    breaker.record(a, false);
    expect(breaker.state).toBe(BREAKER_OPEN);
    expect(breaker.opens).toBe(2);
    clock.t += 4_000;
    expect(breaker.allow()).toBe(ADMIT_DENIED);
    clock.t += 1_000;
    expect(breaker.allow()).toBe(ADMIT_PROBE);
  });

  it('ignores outcomes of attempts admitted before it opened', () => {
    const { breaker, clock } = setup();
    const straggler = breaker.allow();
    open(breaker);
    breaker.record(straggler, true);
    expect(breaker.state).toBe(BREAKER_OPEN);
    clock.t += 5_000;
    const probe = breaker.allow();
    breaker.record(straggler, false);
    expect(breaker.state).toBe(BREAKER_HALF_OPEN);
    breaker.record(probe, true);
    breaker.record(breaker.allow(), true);
    expect(breaker.state).toBe(BREAKER_CLOSED);
  });

  it('ignores a probe outcome that arrives after the breaker re-opened', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.t += 5_000;
    const a = breaker.allow();
    const b = breaker.allow();
    breaker.record(a, false);
    breaker.record(b, true);
    expect(breaker.state).toBe(BREAKER_OPEN);
  });

  it('gives a cancelled probe slot back', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.t += 5_000;
    const a = breaker.allow();
    breaker.allow();
    expect(breaker.allow()).toBe(ADMIT_DENIED);
    breaker.cancel(a);
    expect(breaker.allow()).toBe(ADMIT_PROBE);
    breaker.cancel(ADMIT_NORMAL);
    breaker.cancel(ADMIT_DENIED);
    expect(breaker.allow()).toBe(ADMIT_DENIED);
  });

  it('ignores a cancelled probe once no longer half-open', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.t += 5_000;
    const a = breaker.allow();
    const b = breaker.allow();
    breaker.record(b, false);
    breaker.cancel(a);
    expect(breaker.state).toBe(BREAKER_OPEN);
  });

  it('ignores a denied admission passed to record', () => {
    const { breaker } = setup();
    breaker.record(ADMIT_DENIED, false);
    for (let i = 0; i < 3; i++) attempt(breaker, false);
    expect(breaker.state).toBe(BREAKER_CLOSED);
  });

  describe('sliding window', () => {
    it('forgets failures older than windowMs', () => {
      const { breaker, clock } = setup();
      attempt(breaker, false);
      attempt(breaker, false);
      attempt(breaker, false);
      clock.t += 10_000;
      attempt(breaker, false);
      attempt(breaker, true);
      attempt(breaker, true);
      attempt(breaker, true);
      attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_CLOSED);
      attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_OPEN);
    });

    it('slides bucket by bucket', () => {
      const { breaker, clock } = setup({ minimumRequests: 2 });
      attempt(breaker, true);
      clock.t += 5_000;
      attempt(breaker, true);
      clock.t += 5_000;
      // The first success (10 s old) left the window; one success and now one failure.
      attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_OPEN);
    });

    it('keeps failures that are still inside the window', () => {
      const { breaker, clock } = setup({ minimumRequests: 3, threshold: 1 });
      attempt(breaker, false);
      clock.t += 4_000;
      attempt(breaker, false);
      clock.t += 4_000;
      attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_OPEN);
    });

    it('survives a long silence', () => {
      const { breaker, clock } = setup();
      attempt(breaker, false);
      clock.t += 1e9;
      for (let i = 0; i < 3; i++) attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_CLOSED);
      attempt(breaker, false);
      expect(breaker.state).toBe(BREAKER_OPEN);
    });
  });

  it('works without an observer and on the real clock', () => {
    const breaker = new FailureRatioBreaker(OPTIONS, monotonicClock);
    for (let i = 0; i < 4; i++) breaker.record(breaker.allow(), false);
    expect(breaker.state).toBe(BREAKER_OPEN);
    expect(breaker.allow()).toBe(ADMIT_DENIED);
  });
});
