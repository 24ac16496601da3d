import { ConcurrencyGate, ConcurrencyGates } from '../../src/limits/index';

describe('ConcurrencyGate', () => {
  it('admits up to its ceiling and frees a slot on leave', () => {
    const gate = new ConcurrencyGate(2);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
    gate.leave();
    expect(gate.tryEnter()).toBe(true);
    gate.leave();
    gate.leave();
    gate.leave();
    expect(gate.active).toBe(0);
  });
});

describe('ConcurrencyGates', () => {
  it('divides the host-wide limit by the worker count, rounding up', () => {
    expect(new ConcurrencyGates(4).gate('r', 10).max).toBe(3);
    expect(new ConcurrencyGates(4).gate('r', 1).max).toBe(1);
    expect(new ConcurrencyGates(1).gate('r', 7).max).toBe(7);
  });

  it('keeps one gate per route and ceiling across versions, and prunes idle ones no runtime uses', () => {
    const gates = new ConcurrencyGates(1);
    const a = gates.gate('r', 5);
    expect(gates.gate('r', 5)).toBe(a);
    const busy = gates.gate('busy', 1);
    busy.tryEnter();
    const b = gates.gate('r', 6);
    gates.prune(new Set([b]));
    expect(gates.gate('r', 5)).not.toBe(a);
    expect(gates.gate('busy', 1)).toBe(busy);
  });
});
