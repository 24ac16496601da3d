import { type CacheControl, parseCacheControl } from './cache-control';
import { firstHeader, joinedHeader } from './header-list';

/**
 * What the data plane hands the cache about a request: plain data, no undici or node:http
 * objects.
 */
export interface CacheRequestView {
  /** Upper-case method as received. */
  readonly method: string;
  readonly scheme: 'http' | 'https';
  /** The `Host` (or `:authority`) as received; lower-cased and default port stripped here. */
  readonly host: string;
  /** Path and query as received (origin form: `/path?query`). */
  readonly target: string;
  /** Flat raw header list `[name, value, ...]`, names in any case. */
  readonly headers: readonly string[];
}

/** The request's `Cache-Control` (all lines joined). */
export function requestCacheControl(req: CacheRequestView): CacheControl {
  return parseCacheControl(joinedHeader(req.headers, 'cache-control'));
}

/**
 * `Pragma: no-cache` counts as `Cache-Control: no-cache` only when the request carries no
 * `Cache-Control` (RFC 9111 §5.4).
 */
export function pragmaNoCache(req: CacheRequestView): boolean {
  if (firstHeader(req.headers, 'cache-control') !== null) return false;
  const p = joinedHeader(req.headers, 'pragma');
  return p !== null && p.toLowerCase().includes('no-cache');
}

/** GET or HEAD: the only methods looked up in (and, for GET, stored into) the cache. */
export function isCacheableMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Methods that never invalidate (RFC 9110 §9.2.1 safe methods). */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE';
}
