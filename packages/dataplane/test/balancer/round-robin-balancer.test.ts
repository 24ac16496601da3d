import { RoundRobinBalancer, createBalancer, type Balancer } from '@weir/dataplane';

function picks(b: Balancer, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(b.pick());
  return out;
}

describe('RoundRobinBalancer', () => {
  it('cycles through equal endpoints in order', () => {
    expect(picks(new RoundRobinBalancer([1, 1, 1]), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('gives each endpoint its weight per cycle, interleaved', () => {
    const b = new RoundRobinBalancer([3, 1]);
    expect(picks(b, 8)).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    const seq = picks(new RoundRobinBalancer([50, 30, 20]), 100);
    expect(seq.filter((v) => v === 0)).toHaveLength(50);
    expect(seq.filter((v) => v === 1)).toHaveLength(30);
    expect(seq.filter((v) => v === 2)).toHaveLength(20);
  });

  it('always picks the single endpoint', () => {
    expect(picks(new RoundRobinBalancer([5]), 3)).toEqual([0, 0, 0]);
  });

  it('starts at the given table position', () => {
    expect(picks(new RoundRobinBalancer([1, 1, 1], { start: 1 }), 3)).toEqual([1, 2, 0]);
  });

  it('rejects bad weights with WEIR_ERR_INTERNAL', () => {
    expect(() => new RoundRobinBalancer([])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});

describe('createBalancer', () => {
  it('builds a round-robin balancer', () => {
    const b = createBalancer('round_robin', [1, 2], { start: 0 });
    expect(b).toBeInstanceOf(RoundRobinBalancer);
    expect(picks(b, 3)).toEqual([1, 0, 1]);
    expect(picks(createBalancer('round_robin', [1, 1]), 2)).toEqual([0, 1]);
  });
});
