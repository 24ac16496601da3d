/**
 * Fast non-cryptographic 32-bit string hashing for consistent-hashing balancers: FNV-1a over the
 * string's UTF-16 code units, then murmur3's `fmix32` finaliser. FNV-1a alone spreads short,
 * similar keys ("10.0.0.1", "10.0.0.2") poorly in the high bits, which ring positions and maglev
 * offsets depend on; the finaliser avalanches every input bit into every output bit. Neither
 * needs to resist an attacker: a client choosing its own key can only choose its own endpoint.
 *
 * Results are unsigned 32-bit integers (`>>> 0`), stable across processes and versions, which
 * keeps a key on the same endpoint in every worker and after a restart.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hash of `s[start, end)`, without slicing; `seed` derives independent hash functions. */
export function hashRange(s: string, start: number, end: number, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mix32(h);
}

/** Hash of the whole string. */
export function hashString(s: string, seed: number): number {
  return hashRange(s, 0, s.length, seed);
}

/** murmur3 `fmix32`: a bijective avalanche of a 32-bit integer, result unsigned. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
