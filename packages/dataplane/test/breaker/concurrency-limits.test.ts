import {
  ConcurrencyCounters,
  ConcurrencyLimits,
  LIMIT_CONNECTIONS,
  LIMIT_OK,
  LIMIT_PENDING,
  LIMIT_REQUESTS,
  LIMIT_RETRIES,
  LIMIT_RETRY_BUDGET,
  type ConcurrencyLimitsOptions,
} from '../../src/breaker/index';
import { RetryBudget } from '../../src/retry/index';

const OPTIONS: ConcurrencyLimitsOptions = { maxConnections: 100, maxPendingRequests: 2, maxRequests: 3, maxRetries: 2 };

describe('ConcurrencyLimits', () => {
  it('admits up to maxRequests requests in flight', () => {
    const limits = new ConcurrencyLimits(OPTIONS);
    expect([limits.tryAcquireRequest(), limits.tryAcquireRequest(), limits.tryAcquireRequest()]).toEqual([LIMIT_OK, LIMIT_OK, LIMIT_OK]);
    expect(limits.tryAcquireRequest()).toBe(LIMIT_REQUESTS);
    limits.releaseRequest();
    expect(limits.tryAcquireRequest()).toBe(LIMIT_OK);
    expect(limits.counts.active).toBe(3);
  });

  it('refuses a request while maxPendingRequests attempts wait for a connection', () => {
    const limits = new ConcurrencyLimits({ ...OPTIONS, maxRequests: 10 });
    limits.pendingStart();
    expect(limits.tryAcquireRequest()).toBe(LIMIT_OK);
    limits.pendingStart();
    expect(limits.tryAcquireRequest()).toBe(LIMIT_PENDING);
    limits.pendingEnd();
    expect(limits.tryAcquireRequest()).toBe(LIMIT_OK);
  });

  it('reads a maxPendingRequests of 0 as "no queue", not "no requests"', () => {
    const limits = new ConcurrencyLimits({ ...OPTIONS, maxPendingRequests: 0 });
    expect(limits.tryAcquireRequest()).toBe(LIMIT_OK);
    limits.pendingStart();
    expect(limits.tryAcquireRequest()).toBe(LIMIT_PENDING);
  });

  it('asks the connection probe only once requests in flight reach maxConnections', () => {
    const asked: number[] = [];
    let exhausted = true;
    const probe = {
      exhausted(max: number): boolean {
        asked.push(max);
        return exhausted;
      },
    };
    const limits = new ConcurrencyLimits({ ...OPTIONS, maxConnections: 2, maxRequests: 10 }, new ConcurrencyCounters(), null, probe);
    expect([limits.tryAcquireRequest(), limits.tryAcquireRequest()]).toEqual([LIMIT_OK, LIMIT_OK]);
    expect(asked).toEqual([]);
    expect(limits.tryAcquireRequest()).toBe(LIMIT_CONNECTIONS);
    expect(asked).toEqual([2]);
    exhausted = false;
    expect(limits.tryAcquireRequest()).toBe(LIMIT_OK);
  });

  it('does not enforce maxConnections without a probe', () => {
    const limits = new ConcurrencyLimits({ ...OPTIONS, maxConnections: 1 });
    expect([limits.tryAcquireRequest(), limits.tryAcquireRequest()]).toEqual([LIMIT_OK, LIMIT_OK]);
  });

  it('caps retries in flight at maxRetries', () => {
    const limits = new ConcurrencyLimits(OPTIONS);
    expect([limits.tryAcquireRetry(), limits.tryAcquireRetry(), limits.tryAcquireRetry()]).toEqual([LIMIT_OK, LIMIT_OK, LIMIT_RETRIES]);
    limits.releaseRetry();
    expect(limits.tryAcquireRetry()).toBe(LIMIT_OK);
  });

  it('caps retries with the retry budget', () => {
    const limits = new ConcurrencyLimits({ ...OPTIONS, maxRequests: 100, maxRetries: 100 }, new ConcurrencyCounters(), new RetryBudget({ percent: 20, minRetries: 1 }));
    for (let i = 0; i < 10; i++) limits.tryAcquireRequest();
    expect(limits.tryAcquireRetry()).toBe(LIMIT_OK);
    expect(limits.tryAcquireRetry()).toBe(LIMIT_OK);
    expect(limits.tryAcquireRetry()).toBe(LIMIT_RETRY_BUDGET);
  });

  it('shares its counts with every limits object built over them (state across reloads)', () => {
    const counts = new ConcurrencyCounters();
    const v1 = new ConcurrencyLimits(OPTIONS, counts);
    v1.tryAcquireRequest();
    v1.tryAcquireRequest();
    const v2 = new ConcurrencyLimits({ ...OPTIONS, maxRequests: 2 }, counts);
    expect(v2.tryAcquireRequest()).toBe(LIMIT_REQUESTS);
    v1.releaseRequest();
    expect(v2.tryAcquireRequest()).toBe(LIMIT_OK);
  });
});
