import { ADMITTED, DENIED_ONE_SECOND, RESULT_CACHE_SIZE, admittedResult, deniedResult } from '@weir/limits';

describe('take results', () => {
  it('shares frozen results inside the cache', () => {
    expect(admittedResult(0)).toBe(ADMITTED);
    expect(admittedResult(7)).toBe(admittedResult(7));
    expect(Object.isFrozen(admittedResult(7))).toBe(true);
    expect(deniedResult(1)).toBe(DENIED_ONE_SECOND);
    expect(deniedResult(0)).toBe(DENIED_ONE_SECOND);
    expect(deniedResult(2500)).toBe(deniedResult(2001));
    expect(deniedResult(2500)).toEqual({ admitted: false, remaining: 0, retryAfterSeconds: 3 });
  });

  it('reports a large remaining as 4095, and builds a fresh denial past an hour', () => {
    expect(admittedResult(1_000_000)).toBe(admittedResult(RESULT_CACHE_SIZE - 1));
    expect(admittedResult(1_000_000).remaining).toBe(4095);
    expect(deniedResult(RESULT_CACHE_SIZE * 1000).retryAfterSeconds).toBe(RESULT_CACHE_SIZE);
  });
});
