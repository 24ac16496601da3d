import { RetryBudget } from '../../src/retry/index';

describe('RetryBudget', () => {
  it('always allows minRetries retries in flight', () => {
    const budget = new RetryBudget({ percent: 20, minRetries: 3 });
    expect([0, 1, 2, 3].map((r) => budget.allows(0, r))).toEqual([true, true, true, false]);
  });

  it('allows retries up to percent of the requests in flight', () => {
    const budget = new RetryBudget({ percent: 20, minRetries: 3 });
    expect(budget.allows(100, 19)).toBe(true);
    expect(budget.allows(100, 20)).toBe(false);
    expect(budget.allows(1000, 199)).toBe(true);
  });

  it('is effectively lifted at 100 percent and shut at 0 percent and 0 minimum', () => {
    expect(new RetryBudget({ percent: 100, minRetries: 0 }).allows(50, 49)).toBe(true);
    expect(new RetryBudget({ percent: 0, minRetries: 0 }).allows(50, 0)).toBe(false);
  });
});
