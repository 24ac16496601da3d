import { ConnectionTable } from '../../src/admin/index';
import { ManualClock } from './support/admin-harness';

/** Connections are plain strings here: the table never touches a socket. */
function table(maxConnections: number, clock = new ManualClock()): ConnectionTable<string> {
  return new ConnectionTable<string>({ maxConnections, headersTimeoutMs: 10_000, clock });
}

describe('ConnectionTable', () => {
  it('admits below the cap without shedding', () => {
    const t = table(2);
    expect(t.admit('a')).toEqual({ admitted: true, shed: null });
    expect(t.admit('b')).toEqual({ admitted: true, shed: null });
    expect(t.size).toBe(2);
  });

  it('at the cap, admits the new connection and sheds the oldest silent one (issue 15)', () => {
    const t = table(3);
    for (const c of ['s1', 's2', 's3']) t.admit(c);
    expect(t.admit('health')).toEqual({ admitted: true, shed: 's1' });
    expect(t.admit('s4')).toEqual({ admitted: true, shed: 's2' });
    expect(t.size).toBe(3);
    // A shed connection's later close is a no-op.
    t.remove('s1');
    expect(t.size).toBe(3);
  });

  it('never lets a bounded loop of silent connections refuse one: 1,100 arrivals into 1,024 slots', () => {
    const t = table(1024);
    let refused = 0;
    let shed = 0;
    for (let i = 0; i < 1_100; i++) {
      const admission = t.admit(`flood-${i}`);
      if (!admission.admitted) refused++;
      else if (admission.shed !== null) shed++;
    }
    expect([t.size, refused, shed]).toEqual([1024, 0, 76]);
    expect(t.admit('operator')).toEqual({ admitted: true, shed: 'flood-76' });
  });

  it('sheds in class order: silent, idle, busy, then authenticated idle; an authenticated request in progress never', () => {
    const clock = new ManualClock();
    const t = table(5, clock);
    for (const c of ['trustedBusy', 'trustedIdle', 'busy', 'idle', 'fresh']) t.admit(c);
    t.requestStarted('trustedBusy');
    t.trust('trustedBusy');
    t.requestStarted('trustedIdle');
    t.trust('trustedIdle');
    t.requestEnded('trustedIdle');
    t.requestStarted('busy');
    t.requestStarted('idle');
    t.requestEnded('idle');
    const shed: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const admission = t.admit(`new-${i}`);
      if (admission.admitted) shed.push(admission.shed);
      // Each newcomer becomes an authenticated request in progress, so it is never shed either.
      t.requestStarted(`new-${i}`);
      t.trust(`new-${i}`);
    }
    expect(shed).toEqual(['fresh', 'idle', 'busy', 'trustedIdle']);
    expect(t.admit('late')).toEqual({ admitted: false });
    expect(t.size).toBe(5);
  });

  it('sheds the oldest of a class first, ordered by when it entered the class', () => {
    const clock = new ManualClock();
    const t = table(3, clock);
    t.admit('a');
    t.admit('b');
    t.admit('c');
    for (const c of ['a', 'b', 'c']) {
      t.requestStarted(c);
      clock.ms += 1;
    }
    // b's request ends first: b is the oldest idle connection, though a is older.
    t.requestEnded('b');
    t.requestEnded('a');
    expect(t.admit('d')).toEqual({ admitted: true, shed: 'b' });
  });

  it('keeps a connection busy while any pipelined request is in progress', () => {
    const t = table(2);
    t.admit('pipelined');
    t.requestStarted('pipelined');
    t.requestStarted('pipelined');
    t.requestEnded('pipelined');
    t.trust('pipelined');
    t.admit('other');
    t.requestStarted('other');
    t.trust('other');
    expect(t.admit('third')).toEqual({ admitted: false });
    t.requestEnded('pipelined');
    expect(t.admit('third')).toEqual({ admitted: true, shed: 'pipelined' });
  });

  it('expires connections that sent no complete request headers within the timeout of their accept', () => {
    const clock = new ManualClock();
    const t = table(10, clock);
    t.admit('early');
    clock.ms += 4_000;
    t.admit('late');
    t.admit('spoke');
    t.requestStarted('spoke');
    t.requestEnded('spoke');
    clock.ms += 5_999;
    expect(t.expired()).toEqual([]);
    clock.ms += 1;
    expect(t.expired()).toEqual(['early']);
    clock.ms += 4_000;
    // A connection that completed a request is left to the keep-alive timeout (node:http's).
    expect(t.expired()).toEqual(['late']);
    expect(t.size).toBe(1);
    expect(t.expired()).toEqual([]);
  });

  it('ignores events for connections it does not hold', () => {
    const t = table(1);
    t.requestStarted('ghost');
    t.requestEnded('ghost');
    t.trust('ghost');
    t.remove('ghost');
    t.admit('a');
    t.requestEnded('a');
    expect(t.size).toBe(1);
    expect(t.admit('b')).toEqual({ admitted: true, shed: 'a' });
  });

  it('uses performance.now() and the defaults (1024 connections) without options', () => {
    const t = new ConnectionTable<number>();
    for (let i = 0; i < 1024; i++) t.admit(i);
    expect(t.admit(1024)).toEqual({ admitted: true, shed: 0 });
    expect(t.expired()).toEqual([]);
  });
});
