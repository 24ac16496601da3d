/**
 * A route's response cache in the spec (issue 10), defaults filled in (`configDefaults.cache`);
 * see `@weir/config`'s types/cache.ts for the semantics, and build/build-cache.ts. Validation
 * guarantees `maxObjectBytes <= maxBytes` and no hop-by-hop name in `keyHeaders`.
 */
export interface CacheSpec {
  /** Memory budget of the route's cache in each worker, bytes (1024 to 64 GiB). */
  readonly maxBytes: number;
  /** Largest response body stored, bytes; at most `maxBytes`. */
  readonly maxObjectBytes: number;
  /** Request headers joining the key. Lower-cased, sorted, unique; `[]` for none. */
  readonly keyHeaders: readonly string[];
  /** Store (and replay) responses carrying `Set-Cookie`. */
  readonly storeSetCookie: boolean;
  /** Heuristic freshness, percent of the time since `Last-Modified` (0-100; 0 = off). */
  readonly heuristicPercent: number;
  /** Ceiling of a heuristic lifetime, seconds (0 = no heuristic freshness). */
  readonly maxHeuristicSeconds: number;
  /** Longest wait for another request's in-flight fetch of the same key, ms (0 = never wait). */
  readonly collapseTimeoutMs: number;
}
