import { WeirError } from '@weir/errors';
import { NO_HASH, PICK_TRIES, type Balancer, type PickFilter } from './balancer';
import type { EndpointView } from './endpoint-view';
import { hashString, mix32 } from '../traffic/index';

/** Seeds of the two permutation hashes (offset and skip). */
const OFFSET_SEED = 0x2545f491;
const SKIP_SEED = 0x9e3779b9;
/** Envoy's default table size, a prime; larger tables are used for more than 655 endpoints. */
const DEFAULT_TABLE = 65537;
/** Table entries per endpoint at least, which bounds the imbalance to about 1%. */
const PER_ENDPOINT = 100;

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016; Envoy's `MAGLEV`): a lookup table of
 * prime size M, filled by letting endpoints take turns claiming their next preferred slot, each
 * endpoint's preference list being the permutation `(offset + j * skip) mod M` derived from
 * hashing its address. A key is served by `table[hash mod M]`: one load, no search.
 *
 * Weights (as in Envoy): an endpoint of weight w claims a slot on every turn where
 * `turn * w >= claimed * maxWeight`, so the heaviest claims every turn and the others in
 * proportion. Removing one of n endpoints moves about 1/n of the keys, plus a little churn
 * among the rest (Maglev trades perfect minimal disruption for near-perfect balance).
 *
 * An unavailable endpoint's keys are re-hashed (`table[mix32(hash + t * golden) mod M]`, t = 1,
 * 2, ...), so they spread evenly over the others rather than onto one neighbour. Requests
 * without a key take a random slot.
 */
export class MaglevBalancer implements Balancer {
  /** Table size M (prime). */
  readonly size: number;
  private readonly table: Uint16Array | Uint32Array;
  private readonly view: EndpointView;
  private readonly random: () => number;

  /**
   * @param addresses endpoint addresses, in endpoint order (they seed the permutations).
   * @param weights one positive integer per endpoint.
   * @throws WeirError WEIR_ERR_INTERNAL for no endpoints.
   */
  constructor(view: EndpointView, addresses: readonly string[], weights: readonly number[], random: () => number) {
    const n = addresses.length;
    if (n === 0) throw new WeirError('WEIR_ERR_INTERNAL', 'maglev over no endpoints');
    this.view = view;
    this.random = random;
    const m = n * PER_ENDPOINT <= DEFAULT_TABLE ? DEFAULT_TABLE : nextPrime(n * PER_ENDPOINT);
    this.size = m;
    this.table = build(addresses, weights, m);
  }

  pick(hash: number, filter: PickFilter | null): number {
    const view = this.view;
    const panic = view.panicking();
    const m = this.size;
    const h = hash === NO_HASH ? (this.random() * 0x100000000) >>> 0 : hash;
    const first = this.table[h % m] as number;
    if (view.eligible(first, panic) && (filter === null || filter.accepts(first))) return first;
    for (let t = 1; t < PICK_TRIES; t++) {
      const i = this.table[mix32((h + Math.imul(t, 0x9e3779b9)) >>> 0) % m] as number;
      if (view.eligible(i, panic) && (filter === null || filter.accepts(i))) return i;
    }
    return view.scan(first, filter, panic);
  }
}

/** Fills the lookup table (Maglev's Algorithm 1 with Envoy's weighted turns). */
function build(addresses: readonly string[], weights: readonly number[], m: number): Uint16Array | Uint32Array {
  const n = addresses.length;
  const table = n <= 0x10000 ? new Uint16Array(m) : new Uint32Array(m);
  const filled = new Uint8Array(m);
  const offset = new Float64Array(n);
  const skip = new Float64Array(n);
  const next = new Float64Array(n);
  const claimed = new Float64Array(n);
  let maxWeight = 0;
  for (let i = 0; i < n; i++) {
    const address = addresses[i] as string;
    offset[i] = hashString(address, OFFSET_SEED) % m;
    skip[i] = (hashString(address, SKIP_SEED) % (m - 1)) + 1;
    if ((weights[i] as number) > maxWeight) maxWeight = weights[i] as number;
  }
  let count = 0;
  // The heaviest endpoint claims a slot every turn, so at most m turns fill the table.
  for (let turn = 0; count < m && turn <= m; turn++) {
    for (let i = 0; i < n && count < m; i++) {
      if (turn * (weights[i] as number) < (claimed[i] as number) * maxWeight) continue;
      claimed[i] = (claimed[i] as number) + 1;
      let c = ((offset[i] as number) + (next[i] as number) * (skip[i] as number)) % m;
      while (filled[c] === 1) {
        next[i] = (next[i] as number) + 1;
        c = ((offset[i] as number) + (next[i] as number) * (skip[i] as number)) % m;
      }
      filled[c] = 1;
      table[c] = i;
      next[i] = (next[i] as number) + 1;
      count++;
    }
  }
  return table;
}

/**
 * Smallest prime >= n (trial division; runs once per assemble, n is at most millions). Bertrand's
 * postulate puts a prime below 2n, which bounds the loop.
 */
function nextPrime(n: number): number {
  for (let p = n | 1; p < 2 * n + 3; p += 2) {
    let prime = true;
    for (let d = 3; d * d <= p; d += 2) {
      if (p % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return p;
  }
  return n | 1;
}
