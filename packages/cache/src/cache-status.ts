/**
 * `Cache-Status` values (RFC 9211) this cache emits, with the cache named `weir`.
 *
 * Served from the cache (`serve`):
 * - `weir; hit` - fresh entry;
 * - `weir; hit; detail=stale` - stale entry accepted by the request's `max-stale`;
 * - `weir; hit; detail=stale-while-revalidate` - stale entry within `stale-while-revalidate`
 *   (a background refresh runs);
 * - `weir; hit; detail=collapsed` - the entry a collapsed request received from its leader;
 * - `weir; fwd=stale; fwd-status=304` / `weir; fwd=request; fwd-status=304` - revalidated
 *   (entry stale, or the client asked for revalidation) and the origin answered 304;
 * - `weir; fwd=stale; fwd-status=503; detail=stale-if-error` - revalidation failed (`fwd-status`
 *   omitted when no response arrived) and `stale-if-error` allowed the stale entry.
 *
 * Forwarded (the data plane sets `LookupDecision.cacheStatus`, optionally with `withFwdStatus`):
 * - `weir; fwd=uri-miss` - nothing stored for the URL;
 * - `weir; fwd=vary-miss` - the URL is stored, but no variant matches the request;
 * - `weir; fwd=stale` / `weir; fwd=request` - revalidation answered with a full response;
 * - `weir; fwd=method` - not GET/HEAD;
 * - `weir; fwd=bypass` - GET/HEAD the cache does not handle (Range request without a stored
 *   entry, non-origin-form target).
 */
export const CACHE_STATUS = Object.freeze({
  hit: 'weir; hit',
  hitStale: 'weir; hit; detail=stale',
  hitStaleWhileRevalidate: 'weir; hit; detail=stale-while-revalidate',
  hitCollapsed: 'weir; hit; detail=collapsed',
  uriMiss: 'weir; fwd=uri-miss',
  varyMiss: 'weir; fwd=vary-miss',
  stale: 'weir; fwd=stale',
  request: 'weir; fwd=request',
  method: 'weir; fwd=method',
  bypass: 'weir; fwd=bypass',
  revalidated: 'weir; fwd=stale; fwd-status=304',
  revalidatedByRequest: 'weir; fwd=request; fwd-status=304',
});

/** Appends `fwd-status` (the upstream's status) to a forwarded `Cache-Status` value. */
export function withFwdStatus(cacheStatus: string, upstreamStatus: number): string {
  return cacheStatus + '; fwd-status=' + upstreamStatus;
}

/** The value for a stale entry served because the origin failed (`upstreamStatus` null: no response). */
export function staleIfErrorStatus(upstreamStatus: number | null): string {
  return upstreamStatus === null
    ? 'weir; fwd=stale; detail=stale-if-error'
    : 'weir; fwd=stale; fwd-status=' + upstreamStatus + '; detail=stale-if-error';
}
