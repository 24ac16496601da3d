import type { FaultSpec } from '@weir/runtime';
import {
  DelayGate,
  FAULT_NONE,
  decideFault,
  faultAbortStatus,
  faultDelayMs,
  isFaultAbort,
  isFaultDelay,
  parseFaultHeader,
} from '../../src/traffic/index';

function spec(over: Partial<FaultSpec> = {}): FaultSpec {
  return { delayPercent: 0, delayMs: 0, abortPercent: 0, abortStatus: 503, headerControlled: false, maxActiveDelays: 100, ...over };
}

/** A random source returning the scripted values in order; fails when drawn too often. */
function scripted(...values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('random drawn more often than scripted');
    return values[i++] as number;
  };
}
const never = (): number => {
  throw new Error('random must not be drawn');
};

describe('decideFault', () => {
  it('draws nothing and injects nothing with zero shares', () => {
    expect(decideFault(spec(), never, undefined)).toBe(FAULT_NONE);
    expect(decideFault(spec(), never, 'abort=500')).toBe(FAULT_NONE);
  });

  it('aborts a share of requests: abort drawn first, and an aborted request is not delayed', () => {
    const s = spec({ abortPercent: 10, abortStatus: 502, delayPercent: 50, delayMs: 200 });
    const d = decideFault(s, scripted(0.05), undefined);
    expect(isFaultAbort(d)).toBe(true);
    expect(isFaultDelay(d)).toBe(false);
    expect(faultAbortStatus(d)).toBe(502);
    const delayed = decideFault(s, scripted(0.1, 0.49), undefined);
    expect(isFaultDelay(delayed)).toBe(true);
    expect(faultDelayMs(delayed)).toBe(200);
    expect(decideFault(s, scripted(0.5, 0.5), undefined)).toBe(FAULT_NONE);
  });

  it('applies 100% always and ignores the header without headerControlled', () => {
    const s = spec({ delayPercent: 100, delayMs: 30 });
    expect(decideFault(s, scripted(0.999999), 'abort=500')).toBe(30);
  });

  it('with headerControlled, faults only requests with the header; its value may choose', () => {
    const s = spec({ headerControlled: true, delayPercent: 100, delayMs: 30 });
    expect(decideFault(s, never, undefined)).toBe(FAULT_NONE);
    expect(decideFault(s, never, 'delay=1500')).toBe(1500);
    expect(faultAbortStatus(decideFault(s, never, 'abort=418'))).toBe(418);
    // Anything else falls back to the shares.
    expect(decideFault(s, scripted(0.3), 'yes')).toBe(30);
    expect(decideFault(s, scripted(0.3), 'delay=0')).toBe(30);
    expect(decideFault(spec({ headerControlled: true }), never, 'please')).toBe(FAULT_NONE);
  });
});

describe('parseFaultHeader', () => {
  it('accepts delay=1..60000 and abort=400..599, digits only', () => {
    expect(parseFaultHeader('delay=1')).toBe(1);
    expect(parseFaultHeader('delay=60000')).toBe(60000);
    expect(parseFaultHeader('abort=400')).toBe(-400);
    expect(parseFaultHeader('abort=599')).toBe(-599);
    for (const bad of ['delay=0', 'delay=60001', 'delay=', 'delay=-5', 'delay=1.5', 'delay=123456', 'delay= 5', 'abort=399', 'abort=600', 'abort=5xx', 'Delay=5', 'delay', '', 'x=1']) {
      expect({ bad, d: parseFaultHeader(bad) }).toEqual({ bad, d: FAULT_NONE });
    }
  });
});

describe('DelayGate', () => {
  it('admits up to max delays at once and frees slots on leave', () => {
    const gate = new DelayGate(2);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
    expect(gate.active).toBe(2);
    gate.leave();
    expect(gate.tryEnter()).toBe(true);
    gate.leave();
    gate.leave();
    gate.leave();
    expect(gate.active).toBe(0);
    expect(new DelayGate(0).tryEnter()).toBe(false);
  });
});
