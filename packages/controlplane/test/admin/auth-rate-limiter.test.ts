import { AuthRateLimiter } from '../../src/admin/index';
import { ManualClock } from './support/admin-harness';

describe('AuthRateLimiter', () => {
  it('allows a burst of failures, then refuses until a token refills', () => {
    const clock = new ManualClock();
    const limiter = new AuthRateLimiter({ burst: 3, windowMs: 3_000, clock });
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    for (let i = 0; i < 3; i++) limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    clock.ms += 999;
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    clock.ms += 1;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    clock.ms += 60_000;
    for (let i = 0; i < 3; i++) limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(1);
  });

  it('says how long to wait in whole seconds (10 a minute: 6 s per token)', () => {
    const clock = new ManualClock();
    const limiter = new AuthRateLimiter({ clock });
    for (let i = 0; i < 10; i++) limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(6);
    clock.ms += 3_000;
    expect(limiter.retryAfterSeconds('a')).toBe(3);
  });

  it('keeps its table bounded: refilled entries go first, then the oldest', () => {
    const clock = new ManualClock();
    const limiter = new AuthRateLimiter({ burst: 2, windowMs: 1_000, maxClients: 3, clock });
    limiter.fail('idle');
    clock.ms += 10_000;
    limiter.fail('x');
    limiter.fail('x');
    limiter.fail('y');
    limiter.fail('y');
    limiter.fail('z');
    expect(limiter.size).toBe(3);
    // "idle" had refilled and was dropped; x and y are still refused.
    expect(limiter.retryAfterSeconds('x')).toBe(1);
    for (let i = 0; i < 100; i++) limiter.fail(`flood-${i}`);
    expect(limiter.size).toBe(3);
  });

  it('also throttles failures from all addresses together, so many addresses cannot flood the log', () => {
    const clock = new ManualClock();
    const limiter = new AuthRateLimiter({ burst: 10, globalBurst: 4, windowMs: 4_000, clock });
    for (let i = 0; i < 4; i++) {
      expect(limiter.retryAfterSeconds(`10.0.0.${i}`)).toBe(0);
      limiter.fail(`10.0.0.${i}`);
    }
    // A new address with a full bucket of its own waits for the global one (1 token a second).
    expect(limiter.retryAfterSeconds('10.0.0.99')).toBe(1);
    clock.ms += 1_000;
    expect(limiter.retryAfterSeconds('10.0.0.99')).toBe(0);
  });

  it('answers the longer of the two waits', () => {
    const clock = new ManualClock();
    const limiter = new AuthRateLimiter({ burst: 2, globalBurst: 3, windowMs: 6_000, clock });
    limiter.fail('a');
    limiter.fail('a');
    // Address: 3 s per token; global: 1 token left.
    expect(limiter.retryAfterSeconds('a')).toBe(3);
    limiter.fail('b');
    // Global empty now: 2 s per token; the address still needs 3 s.
    expect([limiter.retryAfterSeconds('a'), limiter.retryAfterSeconds('c')]).toEqual([3, 2]);
  });
});
