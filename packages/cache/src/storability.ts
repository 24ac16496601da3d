import type { CacheControl } from './cache-control';
import { HEURISTIC_STATUSES } from './freshness';
import { type HeaderRecord, recordCount, recordHeader, splitList } from './header-list';

/**
 * Whether a response may be stored (RFC 9111 §3, shared cache). `'store'` or the reason it is
 * not, so logs and tests can tell the rules apart.
 */
export type StoreVerdict =
  | 'store'
  /** Not a GET (HEAD responses are not stored; HEAD is served from a stored GET). */
  | 'method'
  /** A request with `Range`, or a 206: passed through (partial content is not stored). */
  | 'range'
  /** Status not final or not understood by this cache. */
  | 'status'
  /** `no-store` on the request or the response. */
  | 'no-store'
  /** Unqualified `private`. */
  | 'private'
  /** The request carried `Authorization` and the response lacks `public`, `s-maxage` and `must-revalidate` (§3.5). */
  | 'authorization'
  /** `Set-Cookie` and `storeSetCookie` is off. */
  | 'set-cookie'
  /** `Vary: *`. */
  | 'vary-star'
  /** No explicit freshness (`s-maxage`, `max-age`, `Expires`), no validator (`ETag`, `Last-Modified`) and not `public`. */
  | 'no-freshness'
  /**
   * Only validators, on a status that is not heuristically cacheable (RFC 9111 section 3: a
   * response needs explicit freshness, `public` or a heuristically cacheable status).
   */
  | 'not-heuristic';

/**
 * Final statuses this cache understands (RFC 9111 §3: "the response status code is final and
 * understood"). 206 is understood but never stored here; 304 updates, never creates, an entry.
 */
export const UNDERSTOOD_STATUSES: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 451, 500, 501, 502, 503, 504,
]);

/** The request facts storability needs. */
export interface StoreRequestFacts {
  readonly method: string;
  readonly cc: CacheControl;
  readonly hasAuthorization: boolean;
  readonly hasRange: boolean;
}

/**
 * Decides storability. `must-understand` with an understood status overrides `no-store`
 * (RFC 9111 §5.2.2.3); with a status not understood, the response is not stored anyway.
 */
export function storability(
  req: StoreRequestFacts,
  status: number,
  cc: CacheControl,
  headers: HeaderRecord,
  storeSetCookie: boolean,
): StoreVerdict {
  if (req.method !== 'GET') return 'method';
  if (req.hasRange || status === 206) return 'range';
  if (!UNDERSTOOD_STATUSES.has(status)) return 'status';
  if (req.cc.noStore) return 'no-store';
  if (cc.noStore && !cc.mustUnderstand) return 'no-store';
  if (cc.private) return 'private';
  if (req.hasAuthorization && !cc.public && cc.sMaxAge < 0 && !cc.mustRevalidate) return 'authorization';
  if (!storeSetCookie && recordCount(headers, 'set-cookie') > 0) return 'set-cookie';
  if (splitList(recordHeader(headers, 'vary')).includes('*')) return 'vary-star';
  if (
    !cc.public &&
    cc.sMaxAge < 0 &&
    cc.maxAge < 0 &&
    recordHeader(headers, 'expires') === null &&
    recordHeader(headers, 'etag') === null &&
    recordHeader(headers, 'last-modified') === null
  ) {
    return 'no-freshness';
  }
  const explicit = cc.sMaxAge >= 0 || cc.maxAge >= 0 || recordHeader(headers, 'expires') !== null;
  if (!explicit && !cc.public && !HEURISTIC_STATUSES.has(status)) return 'not-heuristic';
  return 'store';
}
