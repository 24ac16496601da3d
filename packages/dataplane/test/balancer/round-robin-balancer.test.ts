import { RoundRobinBalancer, createBalancer, type Balancer } from '@weir/dataplane';
import { ManualClock, avoiding, makeStates, makeView, tally } from '../helpers/balancing';

function picks(b: Balancer, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(b.pick(-1, null));
  return out;
}

describe('RoundRobinBalancer', () => {
  it('cycles through equal endpoints in order', () => {
    expect(picks(new RoundRobinBalancer(makeView(3), [1, 1, 1]), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('gives each endpoint its weight per cycle, interleaved', () => {
    const b = new RoundRobinBalancer(makeView(2), [3, 1]);
    expect(picks(b, 8)).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    const seq = picks(new RoundRobinBalancer(makeView(3), [50, 30, 20]), 100);
    expect(seq.filter((v) => v === 0)).toHaveLength(50);
    expect(seq.filter((v) => v === 1)).toHaveLength(30);
    expect(seq.filter((v) => v === 2)).toHaveLength(20);
  });

  it('always picks the single endpoint', () => {
    expect(picks(new RoundRobinBalancer(makeView(1), [5]), 3)).toEqual([0, 0, 0]);
  });

  it('starts at the given table position', () => {
    expect(picks(new RoundRobinBalancer(makeView(3), [1, 1, 1], { start: 1 }), 3)).toEqual([1, 2, 0]);
  });

  it('rejects bad weights with WEIR_ERR_INTERNAL', () => {
    expect(() => new RoundRobinBalancer(makeView(0), [])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });

  it('passes an unavailable endpoint turn to the others, keeping their proportions', () => {
    const states = makeStates(3);
    const clock = new ManualClock();
    const b = new RoundRobinBalancer(makeView(states, { checked: true, clock }), [2, 1, 1]);
    states[1]!.healthy = false;
    expect(tally(b, 3, 300)).toEqual([200, 0, 100, 0]);
    states[1]!.healthy = true;
    states[0]!.ejectedUntil = clock.value + 10;
    expect(tally(b, 3, 200)).toEqual([0, 100, 100, 0]);
    clock.value += 10;
    expect(tally(b, 3, 400)).toEqual([200, 100, 100, 0]);
  });

  it('prefers endpoints the filter accepts, and falls back to any when it accepts none', () => {
    const b = new RoundRobinBalancer(makeView(3), [1, 1, 1]);
    expect(tally(b, 3, 30, undefined, avoiding(0))).toEqual([0, 15, 15, 0]);
    expect(tally(b, 3, 3, undefined, avoiding(0, 1, 2))).toEqual([1, 1, 1, 0]);
  });
});

describe('createBalancer', () => {
  it('builds a round-robin balancer', () => {
    const b = createBalancer('round_robin', makeView(2), ['a:1', 'b:1'], [1, 2], { start: 0 });
    expect(b).toBeInstanceOf(RoundRobinBalancer);
    expect(picks(b, 3)).toEqual([1, 0, 1]);
    expect(picks(createBalancer('round_robin', makeView(2), ['a:1', 'b:1'], [1, 1]), 2)).toEqual([0, 1]);
  });
});
