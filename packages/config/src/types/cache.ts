/**
 * A route's response cache (issue 10, RFC 9111): a shared cache in each worker's memory.
 * Documented in apps/weir/docs/config.md ("Response cache") and apps/weir/docs/cache.md.
 */
export interface CacheConfig {
  /** Memory budget of this route's cache in each worker, bytes (headers and bodies). Default `67108864` (64 MiB). */
  readonly maxBytes?: number;
  /** Largest response body stored, bytes; a larger one is passed through unstored. Default `1048576`. */
  readonly maxObjectBytes?: number;
  /**
   * Extra key parts: request headers (lower-cased names) whose values join the key, besides
   * method, scheme, host, path and query (and what `Vary` names). Default none.
   */
  readonly keyHeaders?: readonly string[];
  /** Store responses that carry `Set-Cookie` (the cookie is stored and replayed). Default `false`. */
  readonly storeSetCookie?: boolean;
  /**
   * Heuristic freshness (RFC 9111 section 4.2.2) for heuristically cacheable statuses with a
   * `Last-Modified` and no explicit lifetime: this percentage of the time since it. 0 turns it
   * off. Default `10`.
   */
  readonly heuristicPercent?: number;
  /** Ceiling of a heuristic lifetime, seconds. Default `86400`. */
  readonly maxHeuristicSeconds?: number;
  /**
   * How long a request may wait for another request's in-flight fetch of the same key
   * (collapsed forwarding) before going upstream itself. Default `10000`.
   */
  readonly collapseTimeoutMs?: number;
}
