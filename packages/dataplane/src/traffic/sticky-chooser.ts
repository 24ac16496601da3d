import { hashRange, mix32 } from './hash';
import { WeirError } from '@weir/errors';
import type { StickyKeySpec } from '@weir/runtime';
import { cookieValueEnd, cookieValueStart, equalsLowerCase, headerIndex } from './raw-headers';

/** Seeds of the two 32-bit key hashes (any constants distinct from the balancers' own). */
const SEED_A = 0x3c6ef372;
const SEED_B = 0xa54ff53a;
/** Seeds of the two 32-bit entry-name hashes. */
const NAME_SEED_A = 0x510e527f;
const NAME_SEED_B = 0x9b05688c;
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;

/**
 * Weighted rendezvous hashing (highest random weight, Thaler and Ravishankar 1998; the weighted
 * form of Schindelhauer and Schomaker 2005, as in "Weighted Distributed Hash Tables"): for a key,
 * every entry gets the score
 *
 * ```
 *   score(entry, key) = weight(entry) / -ln(u(entry, key))      u uniform in (0, 1)
 * ```
 *
 * and the highest score wins. `-ln(u)/w` is exponential with rate `w`, so the entry of the
 * smallest one (= highest score) is entry i with probability `w_i / sum(w)`: the split's shares.
 *
 * Why rendezvous, not a ring or maglev: an entry's score depends only on its own name, its own
 * weight and the key. Raising one entry's weight raises only its scores, so the only keys that
 * move go onto it; removing an entry leaves the other scores alone, so only its keys move; and a
 * config change that keeps the names (and weights) keeps every assignment, in every worker and
 * after restarts: the hash is seedless integer arithmetic (below), the same in any process.
 * Splits have a handful of entries, so the O(n) pick (n logs) is cheap.
 *
 * u is built from 53 bits: two independent 32-bit hashes of the key (FNV-1a + murmur3 fmix32,
 * seeds A and B), each mixed with the entry name's own hash through another fmix32 round, the
 * first giving the high 32 bits and the second the low 21; then `(bits + 0.5) / 2^53`, strictly
 * inside (0, 1). 53 bits keep ties out of reach (a 32-bit u ties once in ~4 billion pairs) and
 * the far tail of `-ln(u)` exact enough for weights up to 2^20:1.
 *
 * The entry's identity is its upstream name (a name repeated in one split gets `#2`, `#3`, ...
 * for its later occurrences, so each still gets its share).
 */
export class StickyChooser {
  /** Number of entries. */
  readonly length: number;
  private readonly weights: Float64Array;
  private readonly nameA: Int32Array;
  private readonly nameB: Int32Array;

  /**
   * @param names entry identities (the split's upstream names), in split order.
   * @param weights positive finite weights, one per name.
   * @throws WeirError WEIR_ERR_INTERNAL when empty, lengths differ, or a weight is not positive.
   */
  constructor(names: readonly string[], weights: readonly number[]) {
    const n = names.length;
    if (n === 0 || weights.length !== n) {
      throw new WeirError('WEIR_ERR_INTERNAL', `sticky chooser needs one weight per name (${n} names, ${weights.length} weights)`);
    }
    this.length = n;
    this.weights = new Float64Array(n);
    this.nameA = new Int32Array(n);
    this.nameB = new Int32Array(n);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w > 0) || !Number.isFinite(w)) throw new WeirError('WEIR_ERR_INTERNAL', `sticky weight ${i} is ${String(w)}, not positive`);
      this.weights[i] = w;
      const name = names[i] as string;
      const count = (seen.get(name) ?? 0) + 1;
      seen.set(name, count);
      const id = count === 1 ? name : `${name}#${count}`;
      this.nameA[i] = hashRange(id, 0, id.length, NAME_SEED_A);
      this.nameB[i] = hashRange(id, 0, id.length, NAME_SEED_B);
    }
  }

  /** The entry index for `key`; the same key always gets the same index for the same entries. */
  pick(key: string): number {
    return this.pickRange(key, 0, key.length);
  }

  /** As `pick(s.slice(start, end))`, without the slice (a cookie value inside its header line). */
  pickRange(s: string, start: number, end: number): number {
    const n = this.length;
    if (n === 1) return 0;
    const ka = hashRange(s, start, end, SEED_A);
    const kb = hashRange(s, start, end, SEED_B);
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < n; i++) {
      const hi = mix32(ka ^ (this.nameA[i] as number));
      const lo = mix32((kb + (this.nameB[i] as number)) | 0) >>> 11;
      const u = (hi * TWO_POW_21 + lo + 0.5) / TWO_POW_53;
      const score = (this.weights[i] as number) / -Math.log(u);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}

/**
 * A request's sticky key, or null when the request has none (it then gets a per-request pick):
 *
 * - header: the first value of the header (name ignoring ASCII case);
 * - cookie: the value of the first pair with that name in any `Cookie` line, quotes kept (the key
 *   only has to be stable, not decoded); this slices the value out of its line: the traffic
 *   chooser hashes it in place instead (`StickyChooser.pickRange`);
 * - clientAddress: the resolved client address (after `trustedProxies`);
 * - claim: a JWT claim that is a string, a number or a boolean (as a string); other types and
 *   absent claims (no JWT plugin, no token) give null.
 *
 * An empty value is no key (null): every client without a real key would otherwise share one
 * entry.
 */
export function stickyKey(
  spec: StickyKeySpec,
  rawHeaders: readonly string[],
  clientAddress: string,
  claims: Readonly<Record<string, unknown>> | null,
): string | null {
  switch (spec.kind) {
    case 'header': {
      const at = headerIndex(rawHeaders, spec.name);
      return at === -1 || (rawHeaders[at] as string).length === 0 ? null : (rawHeaders[at] as string);
    }
    case 'cookie':
      for (let h = 0; h < rawHeaders.length; h += 2) {
        if (!equalsLowerCase(rawHeaders[h] as string, 'cookie')) continue;
        const line = rawHeaders[h + 1] as string;
        const start = cookieValueStart(line, spec.name);
        if (start === -1) continue;
        const end = cookieValueEnd(line, start);
        return end === start ? null : line.substring(start, end);
      }
      return null;
    case 'clientAddress':
      return clientAddress.length === 0 ? null : clientAddress;
    case 'claim':
      return claimKey(claims, spec.name);
    default:
      return null;
  }
}

/** A claim as a sticky key: strings as they are, numbers and booleans as strings, else null. */
export function claimKey(claims: Readonly<Record<string, unknown>> | null, name: string): string | null {
  if (claims === null) return null;
  const value = claims[name];
  if (typeof value === 'string') return value.length === 0 ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}
