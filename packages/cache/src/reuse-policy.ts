import type { CacheControl } from './cache-control';
import type { CacheEntry } from './cache-entry';
import { currentAge } from './freshness';

/**
 * Whether a stored entry may answer a request without contacting the origin (RFC 9111 §4,
 * §4.2.4, §5.2; RFC 5861). Pure: the request's directives and `now` are passed in.
 */
export type Reuse =
  /** Fresh enough for the request: serve it. */
  | 'fresh'
  /** Stale, but the request's `max-stale` accepts it and nothing forbids stale use: serve it. */
  | 'stale-allowed'
  /** Stale within the response's `stale-while-revalidate`: serve it, refresh in the background. */
  | 'stale-while-revalidate'
  /** The client forced revalidation (`no-cache`, `Pragma: no-cache`, `max-age`, `min-fresh`): go upstream conditionally. */
  | 'revalidate-request'
  /** Stale, or a `no-cache` response: go upstream conditionally. */
  | 'revalidate';

/** `must-revalidate`, `proxy-revalidate`, `s-maxage` (implies proxy-revalidate, §5.2.2.10) or `no-cache` forbid serving stale. */
export function staleForbidden(cc: CacheControl): boolean {
  return cc.mustRevalidate || cc.proxyRevalidate || cc.sMaxAge >= 0 || cc.noCache;
}

/**
 * The reuse decision. `reqNoCache` is the request's `no-cache` or, without `Cache-Control`,
 * `Pragma: no-cache` (RFC 9111 §5.4).
 *
 * Order: the response's `no-cache` (qualified or not: the qualified form is handled as
 * unqualified, which §5.2.2.4 notes is the common reading) always revalidates; then the
 * request's `no-cache`, `max-age` (age must not exceed it; `max-age=0` always revalidates) and
 * `min-fresh`; then plain freshness; then `max-stale` and `stale-while-revalidate`, both refused
 * when `staleForbidden`.
 */
export function reuse(entry: CacheEntry, reqCc: CacheControl, reqNoCache: boolean, now: number): Reuse {
  if (entry.cc.noCache) return 'revalidate';
  if (reqNoCache || reqCc.noCache) return 'revalidate-request';
  const age = currentAge(entry.correctedInitialAge, entry.responseTime, now);
  if (reqCc.maxAge === 0 || (reqCc.maxAge > 0 && age > reqCc.maxAge * 1000)) return 'revalidate-request';
  const remaining = entry.lifetime - age;
  if (remaining > 0) {
    if (reqCc.minFresh > 0 && remaining < reqCc.minFresh * 1000) return 'revalidate-request';
    return 'fresh';
  }
  if (staleForbidden(entry.cc)) return 'revalidate';
  const staleness = -remaining;
  if (reqCc.maxStale >= 0 && reqCc.minFresh <= 0 && staleness <= reqCc.maxStale * 1000) return 'stale-allowed';
  if (entry.cc.staleWhileRevalidate >= 0 && staleness <= entry.cc.staleWhileRevalidate * 1000) return 'stale-while-revalidate';
  return 'revalidate';
}

/** True when an upstream outcome counts as an error for `stale-if-error`: no response, or 500/502/503/504. */
export function isOriginError(upstreamStatus: number | null): boolean {
  return upstreamStatus === null || upstreamStatus === 500 || upstreamStatus === 502 || upstreamStatus === 503 || upstreamStatus === 504;
}

/**
 * `stale-if-error` (RFC 5861 §4): after the origin failed (`upstreamStatus` `null`) or answered
 * 500/502/503/504 while revalidating, may this stale entry be served instead? The window is
 * the response's or the request's `stale-if-error` (the larger); `staleForbidden` responses
 * are never served stale (conservative). A still-fresh entry always may.
 */
export function staleIfError(entry: CacheEntry, reqCc: CacheControl, upstreamStatus: number | null, now: number): boolean {
  if (!isOriginError(upstreamStatus)) return false;
  const age = currentAge(entry.correctedInitialAge, entry.responseTime, now);
  const staleness = age - entry.lifetime;
  if (staleness < 0 && !entry.cc.noCache) return true;
  if (staleForbidden(entry.cc)) return false;
  const window = Math.max(entry.cc.staleIfError, reqCc.staleIfError);
  return window >= 0 && staleness <= window * 1000;
}
