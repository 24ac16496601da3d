import { LeaseBank, type LeaseRequest } from '@weir/limits';
import { FakeClock } from './fake-clock';

function req(key: string, want: number, over: Partial<LeaseRequest> = {}): LeaseRequest {
  return { limitId: 'a1', ratePerSecond: 10, burst: 20, scope: 'host', key, want, ...over };
}

describe('LeaseBank', () => {
  it('creates a bucket full at burst and grants batches from it', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    expect(bank.grant(req('k', 8))).toEqual({ granted: 8, retryAfterMs: 0, remaining: 12 });
    expect(bank.grant(req('k', 8))).toEqual({ granted: 8, retryAfterMs: 0, remaining: 4 });
    expect(bank.grant(req('k', 8))).toEqual({ granted: 4, retryAfterMs: 0, remaining: 0 });
    expect(bank.grant(req('k', 8))).toEqual({ granted: 0, retryAfterMs: 100, remaining: 0 });
    clock.advance(100);
    expect(bank.grant(req('k', 8)).granted).toBe(1);
    expect(bank.size).toBe(1);
  });

  it('keeps keys and limits apart', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    bank.grant(req('k', 20));
    expect(bank.grant(req('other', 20)).granted).toBe(20);
    expect(bank.grant(req('k', 20, { limitId: 'b2' })).granted).toBe(20);
    expect(bank.size).toBe(3);
  });

  it('clamps want to 1..burst', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    expect(bank.grant(req('k', 0)).granted).toBe(1);
    expect(bank.grant(req('j', 1000)).granted).toBe(20);
  });

  it('starts a fresh bucket when a request carries other rate or burst', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    bank.grant(req('k', 20));
    expect(bank.grant(req('k', 5, { burst: 5 })).granted).toBe(5);
  });

  it('takes tokens back capped at burst, and drops returns for unknown buckets', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    bank.grant(req('k', 20));
    bank.giveBack({ limitId: 'a1', key: 'k', scope: 'host', tokens: 5 });
    expect(bank.grant(req('k', 20)).granted).toBe(5);
    bank.giveBack({ limitId: 'a1', key: 'k', scope: 'host', tokens: 500 });
    expect(bank.grant(req('k', 20)).granted).toBe(20);
    bank.giveBack({ limitId: 'a1', key: 'nobody', scope: 'host', tokens: 5 });
    bank.giveBack({ limitId: 'a1', key: 'k', scope: 'host', tokens: -5 });
    expect(bank.size).toBe(1);
  });

  it('sweeps buckets that have refilled to full, and only those', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now);
    bank.grant(req('a', 20));
    clock.advance(1000);
    bank.grant(req('b', 20));
    clock.advance(1000); // a refilled (20 tokens at 10/s), b half
    expect(bank.sweep()).toBe(1);
    expect(bank.size).toBe(1);
    clock.advance(1000);
    expect(bank.sweep()).toBe(1);
    expect(bank.size).toBe(0);
  });

  it('caps its keys: full buckets go first, then the least recently granted', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now, { maxKeys: 10 });
    for (let i = 0; i < 10; i++) bank.grant(req(`k${i}`, 20));
    bank.grant(req('k0', 1)); // k0 is now the most recently granted
    bank.grant(req('new', 1));
    expect(bank.size).toBe(9 + 1);
    expect(bank.evictions).toBe(1);
    // k1 (least recently granted) lost its state and starts full again; k0 kept its state.
    expect(bank.grant(req('k1', 20)).granted).toBe(20);
    expect(bank.grant(req('k0', 20)).granted).toBe(0);
  });

  it('at the cap drops full buckets before spending ones', () => {
    const clock = new FakeClock();
    const bank = new LeaseBank(clock.now, { maxKeys: 4 });
    bank.grant(req('full', 1));
    clock.advance(1000);
    bank.grant(req('x', 20));
    bank.grant(req('y', 20));
    bank.grant(req('z', 20));
    bank.grant(req('new', 20));
    expect(bank.evictions).toBe(0);
    expect(bank.grant(req('x', 1)).granted).toBe(0);
  });
});
