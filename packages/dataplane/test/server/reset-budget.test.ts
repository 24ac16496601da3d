import { ResetBudget } from '../../src/server/index';

describe('ResetBudget', () => {
  it('allows max resets per window and refuses the next', () => {
    const budget = new ResetBudget(3, 1_000);
    expect([budget.record(0), budget.record(10), budget.record(20)]).toEqual([false, false, false]);
    expect(budget.record(30)).toBe(true);
  });

  it('starts a new window windowMs after the first reset of the last one', () => {
    const budget = new ResetBudget(2, 1_000);
    budget.record(0);
    budget.record(500);
    expect(budget.record(999)).toBe(true);
    expect(budget.record(1_000)).toBe(false);
    expect(budget.record(1_500)).toBe(false);
    expect(budget.record(1_600)).toBe(true);
  });
});
