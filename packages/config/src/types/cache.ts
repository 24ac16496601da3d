/**
 * A route's response cache (issue 10, RFC 9111): a shared cache in each worker's memory.
 * Documented in apps/weir/docs/config.md ("Response cache") and apps/weir/docs/cache.md.
 * `{}` caches with every default. Not allowed on a direct-response route.
 */
export interface CacheConfig {
  /**
   * Memory budget of this route's cache in each worker, bytes (headers and bodies), 1024 to
   * 68719476736 (64 GiB); at least `maxObjectBytes`, defaults included. Default `67108864` (64 MiB).
   */
  readonly maxBytes?: number;
  /**
   * Largest response body stored, bytes (1 to 1073741824); a larger one is passed through
   * unstored. At most `maxBytes`, defaults included. Default `1048576`.
   */
  readonly maxObjectBytes?: number;
  /**
   * Extra key parts: request headers (lower-cased names) whose values join the key, besides
   * method, scheme, host, path and query (and what `Vary` names). RFC 9110 tokens, at most 16,
   * each once (case-insensitively), no hop-by-hop header. Default `[]` (none).
   */
  readonly keyHeaders?: readonly string[];
  /** Store responses that carry `Set-Cookie` (the cookie is stored and replayed). Default `false`. */
  readonly storeSetCookie?: boolean;
  /**
   * Heuristic freshness (RFC 9111 section 4.2.2) for heuristically cacheable statuses with a
   * `Last-Modified` and no explicit lifetime: this percentage (0-100, decimals allowed) of the
   * time since it, capped by `maxHeuristicSeconds`. 0 turns it off. Default `10`.
   */
  readonly heuristicPercent?: number;
  /** Ceiling of a heuristic lifetime, seconds (0 to 31536000, one year). Default `86400`. */
  readonly maxHeuristicSeconds?: number;
  /**
   * How long a request may wait for another request's in-flight fetch of the same key
   * (collapsed forwarding) before going upstream itself, milliseconds (0 to 600000). Default `10000`.
   */
  readonly collapseTimeoutMs?: number;
}
