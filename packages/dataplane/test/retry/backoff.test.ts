import { RetryPolicy, backoffDelay, retryDelay } from '../../src/retry/index';

const NONE = { connectFailure: true, reset: true, serverError: false, gatewayError: false, retriableStatus: false };
const policy = new RetryPolicy({
  retries: 5,
  retryOn: NONE,
  retriableStatuses: [],
  perTryTimeoutMs: 0,
  backoff: { baseMs: 25, maxMs: 250 },
  retryNonIdempotent: false,
  maxReplayBodyBytes: 0,
});

const top = (): number => 0.999999;
const half = (): number => 0.5;
const zero = (): number => 0;

describe('backoffDelay: full jitter', () => {
  it('doubles the ceiling per retry up to maxMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((r) => Math.round(backoffDelay(r, 25, 250, top)))).toEqual([25, 50, 100, 200, 250, 250]);
  });

  it('draws uniformly below the ceiling', () => {
    expect(backoffDelay(3, 25, 250, half)).toBe(50);
    expect(backoffDelay(3, 25, 250, zero)).toBe(0);
  });

  it('stays finite for huge retry numbers', () => {
    expect(backoffDelay(5_000, 25, 250, top)).toBeLessThan(250);
  });
});

describe('retryDelay', () => {
  it('is the backoff delay without Retry-After or deadline', () => {
    expect(retryDelay(policy, 1, half, -1, Infinity)).toBe(12.5);
  });

  it('waits at least Retry-After when it fits under backoff.maxMs (no total timeout)', () => {
    expect(retryDelay(policy, 1, half, 200, Infinity)).toBe(200);
    expect(retryDelay(policy, 4, top, 10, Infinity)).toBeCloseTo(200, 0);
    expect(retryDelay(policy, 1, half, 251, Infinity)).toBe(-1);
  });

  it('lets the time left under the total timeout bound Retry-After', () => {
    expect(retryDelay(policy, 1, half, 2_000, 5_000)).toBe(2_000);
    expect(retryDelay(policy, 1, half, 6_000, 5_000)).toBe(-1);
  });

  it('gives up when the delay would use all the time left', () => {
    expect(retryDelay(policy, 1, half, -1, 12.5)).toBe(-1);
    expect(retryDelay(policy, 1, half, -1, 13)).toBe(12.5);
    expect(retryDelay(policy, 1, zero, -1, 0)).toBe(-1);
  });
});
