import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { CACHE_STATUS, LEADER, REVALIDATION_STRIPPED_HEADERS, withFwdStatus, type CacheEntry, type RouteCache, type ServedResponse } from '@weir/cache';
import { removeHeader } from '@weir/plugins';
import type { RouteRuntime } from '../assemble/index';
import { NO_ENDPOINT, NO_HASH } from '../balancer/index';
import { CacheRefresh, type CacheTurn } from '../cache/index';

/** Request headers a background refresh drops: the client's conditionals and ranges, and any body framing. */
const REFRESH_STRIPPED_HEADERS: readonly string[] = [...REVALIDATION_STRIPPED_HEADERS, 'content-length', 'transfer-encoding'];

/** What the cache step needs of the exchange (`ProxyExchange`). */
export interface CacheOwner {
  /** The exchange ended (the client left while a collapsed fetch was awaited). */
  readonly finished: boolean;
  /** The origin-form target sent upstream. */
  readonly path: string;
  /** `Cache-Status` for a forwarded response. */
  cacheStatus: string | null;
  /** Writes a response made from the cache and finishes. */
  sendCached(route: RouteRuntime, served: ServedResponse): void;
  /** The same while an upstream response is still arriving (it is read and dropped). */
  answerFromCache(route: RouteRuntime, served: ServedResponse): void;
  /** Sends the request upstream (on from the cache step). */
  forward(route: RouteRuntime): void;
  crash(err: unknown): void;
  /** Watches the client's `close` while the request waits. */
  watchClient(): void;
  /** The upstream request's header list (built once). */
  upstreamHeaders(): string[];
  /** Drops the current attempt (its body read to the end) and sends the next one. */
  resend(controller: Dispatcher.DispatchController): void;
}

/**
 * The cache's step of the pipeline (DESIGN.md section 3, step 4) for one request of a cached
 * route, given its fresh `turn` (RFC 9111): a fresh entry answers; a stale one is revalidated
 * upstream, or under `stale-while-revalidate` answers at once while one background refresh runs;
 * a miss on a GET leads a collapsed fetch or waits for the one in flight. Returns whether the
 * request was taken (answered, or waiting).
 */
export function lookupCache(owner: CacheOwner, route: RouteRuntime, turn: CacheTurn): boolean {
  const cache = turn.cache;
  const d = cache.lookup(turn);
  turn.decision = d;
  turn.requestTime = cache.clock.now();
  owner.cacheStatus = d.cacheStatus;
  switch (d.kind) {
    case 'hit':
      owner.sendCached(route, cache.serve(d.entry as CacheEntry, turn, d.cacheStatus));
      return true;
    case 'stale-while-revalidate':
      refreshInBackground(owner, route, cache, turn, d.entry as CacheEntry, d.primaryKey);
      owner.sendCached(route, cache.serve(d.entry as CacheEntry, turn, d.cacheStatus));
      return true;
    case 'stale-revalidate':
      turn.revalidating = d.entry;
      return false;
    case 'miss': {
      const key = d.primaryKey;
      if (key === null || turn.method !== 'GET') return false;
      const joined = cache.join(key, turn);
      if (joined === LEADER) {
        turn.leaderKey = key;
        return false;
      }
      owner.watchClient();
      joined.then(
        (entry) => afterCollapse(owner, route, turn, entry),
        (err: unknown) => owner.crash(err),
      );
      return true;
    }
    default:
      return false;
  }
}

/** The collapsed fetch a request waited for ended: serve its entry, or go upstream. */
function afterCollapse(owner: CacheOwner, route: RouteRuntime, turn: CacheTurn, entry: CacheEntry | null): void {
  if (owner.finished) return;
  if (entry !== null) {
    owner.sendCached(route, turn.cache.serve(entry, turn, CACHE_STATUS.hitCollapsed));
    return;
  }
  owner.forward(route);
}

/**
 * Starts a background revalidation of `entry` through one of the route's targets (its own
 * endpoint pick; no breaker, retry or outlier bookkeeping), unless one is in flight.
 */
function refreshInBackground(owner: CacheOwner, route: RouteRuntime, cache: RouteCache, turn: CacheTurn, entry: CacheEntry, key: string | null): void {
  const target = route.targets[route.plan === null ? 0 : route.plan.pick()];
  if (key === null || target === undefined || !cache.leadRefresh(key)) return;
  const upstream = target.upstream;
  const e = upstream.pools.length === 0 ? NO_ENDPOINT : upstream.balancer === null ? 0 : upstream.balancer.pick(NO_HASH, null);
  const refresh = new CacheRefresh(cache, turn, entry, key);
  if (e === NO_ENDPOINT) {
    refresh.onResponseError();
    return;
  }
  refresh.start(upstream.pools[e] as Dispatcher, owner.path, owner.upstreamHeaders(), REFRESH_STRIPPED_HEADERS, target.headersTimeout);
}

/** Turns the upstream request into a revalidation of `entry` (the entry answers the client's own conditionals). */
export function conditionRequest(headers: string[], cache: RouteCache, entry: CacheEntry): void {
  for (let i = 0; i < REVALIDATION_STRIPPED_HEADERS.length; i++) removeHeader(headers, REVALIDATION_STRIPPED_HEADERS[i] as string);
  const conditional = cache.conditionalHeaders(entry);
  for (let i = 0; i < conditional.length; i++) headers.push(conditional[i] as string);
}

/**
 * The upstream answered a request of a cached route: an unsafe method invalidates; a
 * revalidation's 304 (or a 5xx under `stale-if-error`) is answered from the entry, and a 304
 * that does not select the entry (RFC 9111 section 4.3.4) sends the request again
 * unconditionally; anything else may be stored while it streams. Returns whether the response
 * was taken (the client answered from the cache, or the request sent again).
 */
export function cacheResponse(
  owner: CacheOwner,
  route: RouteRuntime,
  turn: CacheTurn,
  status: number,
  headers: IncomingHttpHeaders,
  controller: Dispatcher.DispatchController,
): boolean {
  const cache = turn.cache;
  const d = turn.decision;
  if (d === null) return false;
  if (d.kind === 'bypass') {
    if (status < 400 && turn.method !== 'GET' && turn.method !== 'HEAD') cache.invalidate(turn, status, headers);
    return false;
  }
  const now = cache.clock.now();
  const entry = turn.revalidating;
  if (entry !== null) {
    if (status === 304) {
      const updated = cache.revalidated(entry, headers, turn.requestTime, now);
      if (updated !== null) {
        owner.answerFromCache(route, cache.serve(updated, turn, withFwdStatus(d.cacheStatus, 304)));
        return true;
      }
      const list = owner.upstreamHeaders();
      removeHeader(list, 'if-none-match');
      removeHeader(list, 'if-modified-since');
      turn.revalidating = null;
      owner.resend(controller);
      return true;
    }
    if (status >= 500 && cache.staleIfError(entry, turn, status)) {
      owner.answerFromCache(route, cache.serve(entry, turn, cache.staleIfErrorStatus(status)));
      return true;
    }
  }
  turn.recorder = cache.admit(turn, status, headers, turn.requestTime, now, entry);
  // `stored` only when the size is known to fit: a chunked body may still grow past the limit.
  const stored = turn.recorder !== null && headers['content-length'] !== undefined;
  owner.cacheStatus = withFwdStatus(d.cacheStatus, status) + (stored ? '; stored' : '');
  return false;
}
