import { MaglevBalancer, RingHashBalancer, hashString, type Balancer, type EndpointView } from '@weir/dataplane';
import { makeStates, makeView, seededRandom, tally } from '../helpers/balancing';

type Build = (view: EndpointView, addresses: readonly string[], weights: readonly number[]) => Balancer;

const policies: readonly (readonly [string, Build, number])[] = [
  // [name, builder, largest share of keys allowed to move besides the removed endpoint's]
  ['ring hash', (v, a, w) => new RingHashBalancer(v, a, w, seededRandom(1)), 0],
  ['maglev', (v, a, w) => new MaglevBalancer(v, a, w, seededRandom(1)), 0.03],
];

const KEYS = Array.from({ length: 20_000 }, (_, i) => hashString(`user-${i}`, 0));

function addresses(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:8080`);
}

/** The address each key maps to. */
function owners(b: Balancer, addrs: readonly string[]): string[] {
  return KEYS.map((k) => addrs[b.pick(k, null)] as string);
}

describe.each(policies)('%s', (_name, build, extraMoves) => {
  it('spreads keys in proportion to the weights', () => {
    const addrs = addresses(3);
    const b = build(makeView(3), addrs, [1, 1, 2]);
    const counts = tally(b, 3, KEYS.length, (i) => KEYS[i] as number);
    const shares = counts.slice(0, 3).map((c) => c / KEYS.length);
    expect(Math.abs((shares[0] as number) - 0.25)).toBeLessThan(0.05);
    expect(Math.abs((shares[1] as number) - 0.25)).toBeLessThan(0.05);
    expect(Math.abs((shares[2] as number) - 0.5)).toBeLessThan(0.05);
  });

  it('maps a key to the same endpoint every time and in every instance', () => {
    const addrs = addresses(5);
    const a = owners(build(makeView(5), addrs, [1, 1, 1, 1, 1]), addrs);
    const b = owners(build(makeView(5), addrs, [1, 1, 1, 1, 1]), addrs);
    expect(b).toEqual(a);
  });

  it('moves only about 1/n of the keys when one of n endpoints is removed', () => {
    const addrs = addresses(10);
    const before = owners(build(makeView(10), addrs, new Array(10).fill(1)), addrs);
    const kept = addrs.filter((_, i) => i !== 3);
    const after = owners(build(makeView(9), kept, new Array(9).fill(1)), kept);
    let movedOthers = 0;
    for (let k = 0; k < KEYS.length; k++) {
      if (before[k] === addrs[3]) expect(after[k]).not.toBe(addrs[3]);
      else if (before[k] !== after[k]) movedOthers++;
    }
    expect(movedOthers / KEYS.length).toBeLessThanOrEqual(extraMoves);
    const moved = before.filter((o, k) => o !== after[k]).length / KEYS.length;
    expect(moved).toBeLessThan(0.1 + extraMoves + 0.03);
  });

  it('sends an unhealthy endpoint keys elsewhere, leaves the others alone, and takes them back', () => {
    const addrs = addresses(6);
    const states = makeStates(6);
    const b = build(makeView(states, { checked: true }), addrs, new Array(6).fill(1));
    const before = owners(b, addrs);
    states[2]!.healthy = false;
    const during = owners(b, addrs);
    for (let k = 0; k < KEYS.length; k++) {
      if (before[k] === addrs[2]) expect(during[k]).not.toBe(addrs[2]);
      else expect(during[k]).toBe(before[k]);
    }
    // The displaced keys spread over more than one endpoint.
    const targets = new Set(during.filter((_, k) => before[k] === addrs[2]));
    expect(targets.size).toBeGreaterThan(1);
    states[2]!.healthy = true;
    expect(owners(b, addrs)).toEqual(before);
  });

  it('picks at random, by weight, for requests without a key', () => {
    const b = build(makeView(2), addresses(2), [1, 3]);
    const counts = tally(b, 2, 10_000);
    expect(Math.abs((counts[1] as number) / 10_000 - 0.75)).toBeLessThan(0.05);
  });

  it('finds the last available endpoint in bounded time when all others are down', () => {
    const n = 200;
    const states = makeStates(n, false);
    states[n - 1]!.healthy = true;
    const b = build(makeView(states, { checked: true, panicThresholdPercent: 0 }), addresses(n), new Array(n).fill(1));
    const counts = tally(b, n, 500, (i) => KEYS[i] as number);
    expect(counts[n - 1]).toBe(500);
  });
});

describe('ring hash internals', () => {
  it('gives every endpoint at least one point and at least 1024 in all', () => {
    const ring = new RingHashBalancer(makeView(2), addresses(2), [1, 10_000], Math.random);
    expect(ring.size).toBeGreaterThanOrEqual(1024);
  });
});

describe('maglev internals', () => {
  it('uses the default prime table, and a larger prime for many endpoints', () => {
    expect(new MaglevBalancer(makeView(3), addresses(3), [1, 1, 1], Math.random).size).toBe(65537);
    const big = new MaglevBalancer(makeView(700), addresses(700), new Array(700).fill(1), Math.random);
    expect(big.size).toBeGreaterThanOrEqual(70_000);
    for (let d = 2; d * d <= big.size; d++) expect(big.size % d).not.toBe(0);
  });
});
