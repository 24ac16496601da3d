import { HealthState } from '@weir/controlplane';

function run(state: HealthState, results: readonly boolean[], healthy = 2, unhealthy = 3): boolean[] {
  return results.map((r) => (state.record(r, healthy, unhealthy), state.healthy));
}

describe('HealthState', () => {
  it('lets a never-checked unhealthy endpoint in after one pass', () => {
    expect(run(new HealthState(false), [true])).toEqual([true]);
  });

  it('needs healthyThreshold passes once it has been checked', () => {
    expect(run(new HealthState(false), [false, true, true])).toEqual([false, false, true]);
  });

  it('needs unhealthyThreshold consecutive failures to go down', () => {
    expect(run(new HealthState(true), [false, false, true, false, false, false])).toEqual([true, true, true, true, true, false]);
  });

  it('reports changes only', () => {
    const s = new HealthState(true);
    expect([s.record(true, 1, 1), s.record(false, 1, 1), s.record(false, 1, 1), s.record(true, 1, 1)]).toEqual([false, true, false, true]);
    expect({ successes: s.successes, failures: s.failures, checked: s.checked }).toEqual({ successes: 1, failures: 0, checked: true });
  });
});
