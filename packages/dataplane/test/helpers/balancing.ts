import { EndpointState, EndpointView, type Balancer, type EndpointViewOptions, type PickFilter } from '@weir/dataplane';

/** mulberry32: a tiny seeded PRNG, so distribution tests are reproducible. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A manual clock for views (ejection deadlines). */
export class ManualClock {
  value = 1_000;
  now(): number {
    return this.value;
  }
}

/** `n` fresh endpoint states with addresses `10.0.0.<i+1>:80`. */
export function makeStates(n: number, healthy = true): EndpointState[] {
  const out: EndpointState[] = [];
  for (let i = 0; i < n; i++) out.push(new EndpointState(`10.0.0.${i + 1}:80`, healthy));
  return out;
}

/** A view over `n` fresh states (or the given ones). */
export function makeView(states: number | EndpointState[], options: EndpointViewOptions = {}): EndpointView {
  return new EndpointView(typeof states === 'number' ? makeStates(states) : states, options);
}

/** Picks `count` times and tallies the endpoints; index `size` counts NO_ENDPOINT answers. */
export function tally(b: Balancer, size: number, count: number, hash: (i: number) => number = () => -1, filter: PickFilter | null = null): number[] {
  const out = new Array<number>(size + 1).fill(0);
  for (let i = 0; i < count; i++) {
    const e = b.pick(hash(i), filter);
    out[e < 0 ? size : e]!++;
  }
  return out;
}

/** A filter that rejects the listed endpoints. */
export function avoiding(...endpoints: number[]): PickFilter {
  return { accepts: (i: number) => !endpoints.includes(i) };
}
