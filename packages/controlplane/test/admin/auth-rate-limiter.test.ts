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
});
