import { EndpointState, EndpointView, NO_ENDPOINT, stateEpoch } from '@weir/dataplane';
import { ManualClock, avoiding, makeStates } from '../helpers/balancing';

describe('EndpointView', () => {
  it('counts health only when the upstream is checked', () => {
    const states = makeStates(2);
    states[0]!.healthy = false;
    expect(new EndpointView(states, { checked: true }).available(0)).toBe(false);
    expect(new EndpointView(states, { checked: false }).available(0)).toBe(true);
  });

  it('treats an endpoint as ejected until its deadline on the injected clock', () => {
    const clock = new ManualClock();
    const states = makeStates(2);
    const view = new EndpointView(states, { clock });
    states[1]!.ejectedUntil = clock.value + 100;
    expect(view.available(1)).toBe(false);
    clock.value += 99;
    expect(view.available(1)).toBe(false);
    clock.value += 1;
    expect(view.available(1)).toBe(true);
  });

  it('panics below the threshold and recovers above it (Envoy: strictly below)', () => {
    const states = makeStates(4);
    const view = new EndpointView(states, { checked: true, panicThresholdPercent: 50 });
    expect(view.panicking()).toBe(false);
    states[0]!.healthy = false;
    states[1]!.healthy = false;
    expect(view.availableEndpoints).toBe(2);
    expect(view.panicking()).toBe(false); // 50% is not below 50%
    states[2]!.healthy = false;
    expect(view.panicking()).toBe(true);
    states[2]!.healthy = true;
    expect(view.panicking()).toBe(false);
  });

  it('leaves panic mode when an ejection ends, without any write', () => {
    const clock = new ManualClock();
    const states = makeStates(2);
    const view = new EndpointView(states, { clock, panicThresholdPercent: 100 });
    states[0]!.ejectedUntil = clock.value + 50;
    expect(view.panicking()).toBe(true);
    const epoch = stateEpoch.value;
    clock.value += 50;
    expect(view.panicking()).toBe(false);
    expect(stateEpoch.value).toBe(epoch);
  });

  it('never panics with a threshold of 0, so nothing is eligible when all are down', () => {
    const states = makeStates(2, false);
    const view = new EndpointView(states, { checked: true, panicThresholdPercent: 0 });
    expect(view.panicking()).toBe(false);
    expect(view.scan(0, null, false)).toBe(NO_ENDPOINT);
  });

  it('bumps the epoch only on real changes', () => {
    const s = new EndpointState('a:1', true);
    const before = stateEpoch.value;
    s.healthy = true;
    s.ejectedUntil = 0;
    expect(stateEpoch.value).toBe(before);
    s.healthy = false;
    s.ejectedUntil = 5;
    expect(stateEpoch.value).toBe(before + 2);
  });

  it('scans cyclically from the start, preferring what the filter accepts', () => {
    const states = makeStates(4);
    states[2]!.healthy = false;
    const view = new EndpointView(states, { checked: true });
    expect(view.scan(2, null, false)).toBe(3);
    expect(view.scan(3, avoiding(3, 0), false)).toBe(1);
    expect(view.scan(3, avoiding(0, 1, 3), false)).toBe(3);
    expect(view.scan(2, null, true)).toBe(2);
    expect(new EndpointView([]).scan(0, null, false)).toBe(NO_ENDPOINT);
  });
});
