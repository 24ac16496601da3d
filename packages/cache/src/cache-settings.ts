/**
 * A route's cache settings: structurally identical to `@weir/runtime`'s `CacheSpec` (which this
 * package must not import, STYLE.md 1.1), so the data plane passes the spec as is. Defaults are
 * filled in by `buildSpec`; this package trusts the values (STYLE.md rule 5).
 */
export interface CacheSettings {
  /** Byte budget of the route's store in one worker (bodies + headers + per-entry overhead). Default 64 MiB. */
  readonly maxBytes: number;
  /** Largest body recorded; a larger response streams through unstored. Default 1 MiB. */
  readonly maxObjectBytes: number;
  /** Request header names (lower-cased, sorted, unique) that join the secondary key like `Vary`. Default none. */
  readonly keyHeaders: readonly string[];
  /** Store (and replay) responses carrying `Set-Cookie`. Default `false`. */
  readonly storeSetCookie: boolean;
  /** Heuristic freshness: this percentage of `Date - Last-Modified` (RFC 9111 §4.2.2); 0 = off. Default 10. */
  readonly heuristicPercent: number;
  /** Ceiling of a heuristic lifetime, seconds. Default 86400. */
  readonly maxHeuristicSeconds: number;
  /** How long a collapsed request waits for the leader's fetch before going upstream itself. Default 10000. */
  readonly collapseTimeoutMs: number;
}
