/**
 * Per-route counters for metrics (read by the data plane's metrics code; no prom-client here).
 * Exported as `weir_cache_requests_total{route,result}` with `result` = the field name
 * (`stale_if_error` for `staleIfError`), and `weir_cache_stored_bytes{route}` from
 * `RouteCache.storedBytes`.
 */
export class CacheStats {
  /** Served from a fresh entry (or a stale one accepted by the request's `max-stale`). */
  hit = 0;
  /** Nothing usable stored (uri-miss or vary-miss): forwarded. */
  miss = 0;
  /** A stored entry needed the origin: revalidation or `stale-while-revalidate`. */
  stale = 0;
  /** Not handled by the cache (method, Range miss, non-origin-form target). */
  bypass = 0;
  /** Waited on another request's fetch (collapsed forwarding). */
  collapsed = 0;
  /** Revalidations answered 304 and applied. */
  revalidated = 0;
  /** Stale entries served because the origin failed (`stale-if-error`). */
  staleIfError = 0;
  /** Responses stored (recorder finished and the store accepted it). */
  stored = 0;
}
