import { WeirError } from '@weir/errors';
import { NO_HASH, PICK_TRIES, type Balancer, type PickFilter } from './balancer';
import type { EndpointView } from './endpoint-view';
import { hashString } from '../traffic/index';

/** Seed of ring positions, so they are independent of request-key hashes. */
const RING_SEED = 0x5bd1e995;
/** Fewest ring entries (Envoy's `minimum_ring_size` default). */
const MIN_RING = 1024;
/** Entries aimed at per endpoint, so shares stay within a few percent of the weights. */
const PER_ENDPOINT = 160;
/** Most ring entries: 2 MiB of tables per upstream. */
const MAX_RING = 1 << 18;
/** Endpoint indexes are packed below the hash in one float64 sort key (2^21 endpoints). */
const OWNER_BITS = 2 ** 21;
/** Ring entries walked clockwise past an unavailable endpoint before the linear scan. */
const WALK = PICK_TRIES * 4;

/**
 * Consistent hashing on a ring (Karger et al.; Envoy's `RING_HASH`). Each endpoint owns
 * virtual points on a 32-bit ring, as many as its share of the weights (at least one), placed by
 * hashing `address_j`; a request's key hash is served by the first point clockwise from it.
 *
 * ```
 *        0 ─── a1 ── b0 ─── a0 ──── c0 ─── b1 ─── 2^32
 *   key hash h ──^ first point >= h (binary search, wraps to the start)
 * ```
 *
 * Removing an endpoint removes only its points, so only the keys it served move (about 1/n);
 * positions depend on addresses, not list order, so every worker (and every reload that keeps
 * the endpoints) maps a key to the same endpoint. An unavailable endpoint's keys walk clockwise
 * to the next available point: they spread over the others, and return when it recovers.
 * Requests without a key land on a random point.
 */
export class RingHashBalancer implements Balancer {
  /** Ring size. */
  readonly size: number;
  private readonly hashes: Uint32Array;
  private readonly owners: Uint32Array;
  private readonly view: EndpointView;
  private readonly random: () => number;

  /**
   * @param addresses endpoint addresses, in endpoint order (they place the points).
   * @param weights one positive integer per endpoint.
   * @throws WeirError WEIR_ERR_INTERNAL for no endpoints or too many (2^21).
   */
  constructor(view: EndpointView, addresses: readonly string[], weights: readonly number[], random: () => number) {
    const n = addresses.length;
    if (n === 0 || n >= OWNER_BITS) throw new WeirError('WEIR_ERR_INTERNAL', `ring hash over ${n} endpoints`);
    this.view = view;
    this.random = random;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] as number;
    const target = Math.min(MAX_RING, Math.max(MIN_RING, PER_ENDPOINT * n));
    const counts: number[] = new Array<number>(n);
    let size = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.max(1, Math.round((target * (weights[i] as number)) / total));
      counts[i] = c;
      size += c;
    }
    const keys = new Float64Array(size);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const address = addresses[i] as string;
      for (let j = 0; j < (counts[i] as number); j++) {
        keys[k++] = hashString(`${address}_${j}`, RING_SEED) * OWNER_BITS + i;
      }
    }
    keys.sort();
    this.size = size;
    this.hashes = new Uint32Array(size);
    this.owners = new Uint32Array(size);
    for (let p = 0; p < size; p++) {
      const key = keys[p] as number;
      const owner = key % OWNER_BITS;
      this.owners[p] = owner;
      this.hashes[p] = (key - owner) / OWNER_BITS;
    }
  }

  pick(hash: number, filter: PickFilter | null): number {
    const view = this.view;
    const panic = view.panicking();
    const size = this.size;
    let p = hash === NO_HASH ? (this.random() * size) | 0 : this.find(hash);
    const start = this.owners[p] as number;
    let last = -1;
    for (let t = 0; t < WALK; t++) {
      const i = this.owners[p] as number;
      if (i !== last) {
        if (view.eligible(i, panic) && (filter === null || filter.accepts(i))) return i;
        last = i;
      }
      p = p + 1 === size ? 0 : p + 1;
    }
    return view.scan(start, filter, panic);
  }

  /** Index of the first point whose hash is >= `hash`, wrapping to 0 past the last. */
  private find(hash: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((hashes[mid] as number) < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.size ? 0 : lo;
  }
}
