import { BodyRecorder } from './body-recorder';
import { storedHeaders, recordAge } from './build-entry';
import { parseCacheControl } from './cache-control';
import type { CacheEntry } from './cache-entry';
import { primaryKey } from './cache-key';
import { type CacheRequestView, isCacheableMethod, pragmaNoCache, requestCacheControl } from './cache-request';
import type { CacheSettings } from './cache-settings';
import { CACHE_STATUS, staleIfErrorStatus } from './cache-status';
import { CacheStats } from './cache-stats';
import { CacheStore } from './cache-store';
import { type Clock, wallClock } from './clock';
import { Collapser, type CollapseTimers, DEFAULT_MAX_WAITERS, LEADER, type Leader } from './collapser';
import { hasHeader, type HeaderRecord, recordHeader } from './header-list';
import { invalidationKeys } from './invalidation';
import { reuse, staleIfError } from './reuse-policy';
import { applyNotModified, conditionalHeaders, notModifiedMatches } from './revalidation';
import { serveEntry, type ServedResponse } from './serve-entry';
import { storability, type StoreVerdict } from './storability';
import { selectVariant, variantMatches, varyNames, varyValues } from './variant-key';

/** What `RouteCache.lookup` tells the data plane to do. */
export type LookupKind =
  /** Not handled by the cache: forward as usual, do not call `admit`. */
  | 'bypass'
  /** Nothing usable stored: forward (optionally collapsed via `join`), then `admit`. */
  | 'miss'
  /** Serve `entry` with `serve(entry, req, decision.cacheStatus)`; no upstream request. */
  | 'hit'
  /** Send the request upstream with `conditionalHeaders(entry)`; on 304 `revalidated`, otherwise `admit(..., entry)`. */
  | 'stale-revalidate'
  /** Serve `entry` now, and refresh it in the background as for `stale-revalidate`. */
  | 'stale-while-revalidate';

/** The outcome of `RouteCache.lookup`. */
export class LookupDecision {
  constructor(
    readonly kind: LookupKind,
    /** `scheme://host/path?query`, or `null` when the target is not origin form. */
    readonly primaryKey: string | null,
    /** The selected variant for `hit`, `stale-revalidate` and `stale-while-revalidate`; otherwise `null`. */
    readonly entry: CacheEntry | null,
    /** `Cache-Status` for the response: pass to `serve` (hit kinds), or set on the forwarded response. */
    readonly cacheStatus: string,
  ) {}
}

/** Optional wiring for tests and tuning. */
export interface RouteCacheOptions {
  /** Wall clock in epoch ms. Default `Date.now`. */
  readonly clock?: Clock;
  /** Collapsed waiters per key. Default 1024. */
  readonly maxWaiters?: number;
  /** Timer functions for collapse timeouts. Default global timers, unref'd. */
  readonly timers?: CollapseTimers;
}

/** Client conditionals and ranges the data plane removes when it revalidates (the entry answers them). */
export const REVALIDATION_STRIPPED_HEADERS: readonly string[] = Object.freeze([
  'if-none-match',
  'if-modified-since',
  'if-range',
  'range',
]);

/**
 * One route's cache in one worker: settings, store, collapser, clock and counters. The data
 * plane's flow for a GET/HEAD:
 *
 *     d = cache.lookup(req)
 *     bypass                  -> forward; set cacheStatus
 *     hit                     -> cache.serve(d.entry, req, d.cacheStatus)
 *     stale-while-revalidate  -> serve now; refresh in background like stale-revalidate
 *     miss                    -> (optional) cache.join(d.primaryKey, req): LEADER -> forward, admit,
 *                                record, finish, cache.release(key, entry|null);
 *                                promise -> entry ? serve(entry, req, CACHE_STATUS.hitCollapsed) : forward
 *     stale-revalidate        -> forward with conditionalHeaders(d.entry), without
 *                                REVALIDATION_STRIPPED_HEADERS;
 *                                304 -> e = cache.revalidated(d.entry, headers, t0, t1);
 *                                       e ? serve(e, req, cacheStatus + fwd-status=304) : forward unconditionally
 *                                5xx/error -> cache.staleIfError(d.entry, req, status|null) ? serve stale : pass error
 *                                other -> admit(req, status, headers, t0, t1, d.entry)
 *
 * and for every other method `cache.invalidate(req, status, headers)` after the response.
 */
export class RouteCache {
  readonly store: CacheStore;
  readonly collapser: Collapser;
  readonly stats = new CacheStats();
  readonly clock: Clock;

  constructor(
    readonly settings: CacheSettings,
    options: RouteCacheOptions = {},
  ) {
    this.clock = options.clock ?? wallClock;
    this.store = new CacheStore(settings);
    this.collapser = new Collapser(this.clock, settings.collapseTimeoutMs, options.maxWaiters ?? DEFAULT_MAX_WAITERS, options.timers);
  }

  /** Bytes held by the store (for `weir_cache_stored_bytes`). */
  get storedBytes(): number {
    return this.store.bytes;
  }

  /** Decides how to answer a request; counts `hit`, `miss`, `stale` or `bypass`. Touches the LRU on use. */
  lookup(req: CacheRequestView): LookupDecision {
    if (!isCacheableMethod(req.method)) {
      this.stats.bypass++;
      return new LookupDecision('bypass', primaryKey(req.scheme, req.host, req.target), null, CACHE_STATUS.method);
    }
    const key = primaryKey(req.scheme, req.host, req.target);
    if (key === null) {
      this.stats.bypass++;
      return new LookupDecision('bypass', null, null, CACHE_STATUS.bypass);
    }
    const variants = this.store.get(key);
    const entry = variants.length === 0 ? null : selectVariant(variants, req.headers);
    if (entry === null) {
      if (hasHeader(req.headers, 'range')) {
        this.stats.bypass++;
        return new LookupDecision('bypass', key, null, CACHE_STATUS.bypass);
      }
      this.stats.miss++;
      return new LookupDecision('miss', key, null, variants.length === 0 ? CACHE_STATUS.uriMiss : CACHE_STATUS.varyMiss);
    }
    this.store.touch(entry);
    const r = reuse(entry, requestCacheControl(req), pragmaNoCache(req), this.clock.now());
    switch (r) {
      case 'fresh':
        this.stats.hit++;
        return new LookupDecision('hit', key, entry, CACHE_STATUS.hit);
      case 'stale-allowed':
        this.stats.hit++;
        return new LookupDecision('hit', key, entry, CACHE_STATUS.hitStale);
      case 'stale-while-revalidate':
        this.stats.stale++;
        return new LookupDecision('stale-while-revalidate', key, entry, CACHE_STATUS.hitStaleWhileRevalidate);
      case 'revalidate-request':
        this.stats.stale++;
        return new LookupDecision('stale-revalidate', key, entry, CACHE_STATUS.request);
      default:
        this.stats.stale++;
        return new LookupDecision('stale-revalidate', key, entry, CACHE_STATUS.stale);
    }
  }

  /**
   * Storability of a response, without side effects (for logs and tests).
   * @param revalidating the entry being revalidated (its request went upstream without `Range`)
   */
  verdict(req: CacheRequestView, status: number, headers: HeaderRecord, revalidating: CacheEntry | null = null): StoreVerdict {
    const cc = parseCacheControl(recordHeader(headers, 'cache-control'));
    return storability(
      {
        method: req.method,
        cc: requestCacheControl(req),
        hasAuthorization: hasHeader(req.headers, 'authorization'),
        hasRange: revalidating === null && hasHeader(req.headers, 'range'),
      },
      status,
      cc,
      headers,
      this.settings.storeSetCookie,
    );
  }

  /**
   * Offers an upstream response for storage. Returns a `BodyRecorder` when it is storable (the
   * data plane feeds it the body chunks it streams to the client, then calls `finish()` or
   * `abort()`), else `null`. `headers` is undici's record; it is read here, not kept.
   *
   * @param requestTime epoch ms when the request was sent upstream
   * @param responseTime epoch ms when the response headers arrived
   * @param revalidating the stale entry whose revalidation produced this full response: it is
   *   replaced by the new entry, or removed when a GET's new response is not storable (a HEAD's
   *   200 leaves it in place)
   */
  admit(
    req: CacheRequestView,
    status: number,
    headers: HeaderRecord,
    requestTime: number,
    responseTime: number,
    revalidating: CacheEntry | null = null,
  ): BodyRecorder | null {
    const key = primaryKey(req.scheme, req.host, req.target);
    const verdict = key === null ? 'method' : this.verdict(req, status, headers, revalidating);
    if (key === null || verdict !== 'store') {
      // A full GET response that may not be stored supersedes the stale entry; a HEAD's does not.
      if (revalidating !== null && req.method === 'GET') this.store.delete(revalidating);
      return null;
    }
    const cc = parseCacheControl(recordHeader(headers, 'cache-control'));
    const names = varyNames(recordHeader(headers, 'vary'), this.settings.keyHeaders) as string[];
    const cl = recordHeader(headers, 'content-length');
    const expected = cl === null ? -1 : Number(cl);
    if (expected > this.settings.maxObjectBytes) {
      if (revalidating !== null) this.store.delete(revalidating);
      return null;
    }
    return new BodyRecorder(
      this.store,
      this.settings,
      key,
      status,
      storedHeaders(headers, cc, responseTime, -1),
      recordAge(headers),
      requestTime,
      responseTime,
      names,
      varyValues(req.headers, names),
      Number.isInteger(expected) && expected >= 0 ? expected : -1,
      revalidating,
      this.stats,
    );
  }

  /** Builds the client response from an entry (304/206/416/HEAD/full); see `serveEntry`. */
  serve(entry: CacheEntry, req: CacheRequestView, cacheStatus: string): ServedResponse {
    return serveEntry(entry, req, cacheStatus, this.clock.now());
  }

  /** The validators to send when revalidating `entry`. */
  conditionalHeaders(entry: CacheEntry): string[] {
    return conditionalHeaders(entry);
  }

  /**
   * Applies a 304 from a revalidation. Returns the updated entry to serve (stored in place of the
   * old one, unless the 304 now says `no-store`, in which case both are dropped), or `null` when
   * the 304's validators do not select the entry: the data plane must then repeat the request
   * upstream without conditionals.
   */
  revalidated(entry: CacheEntry, headers304: HeaderRecord, requestTime: number, responseTime: number): CacheEntry | null {
    if (!notModifiedMatches(entry, headers304)) return null;
    const updated = applyNotModified(entry, headers304, requestTime, responseTime, this.settings);
    this.stats.revalidated++;
    if (updated.cc.noStore && !updated.cc.mustUnderstand) this.store.delete(entry);
    else this.store.put(updated, entry);
    return updated;
  }

  /**
   * `stale-if-error`: may `entry` be served after the origin failed (`upstreamStatus` `null`) or
   * answered 500/502/503/504? When `true`, serve it with `staleIfErrorStatus(upstreamStatus)`.
   */
  staleIfError(entry: CacheEntry, req: CacheRequestView, upstreamStatus: number | null): boolean {
    const ok = staleIfError(entry, requestCacheControl(req), upstreamStatus, this.clock.now());
    if (ok) this.stats.staleIfError++;
    return ok;
  }

  /** The `Cache-Status` for a `stale-if-error` answer. */
  staleIfErrorStatus(upstreamStatus: number | null): string {
    return staleIfErrorStatus(upstreamStatus);
  }

  /**
   * Collapsed forwarding on a miss: `LEADER` (fetch, then `release`) or a promise of an entry
   * matching this request's variant, or `null` (go upstream yourself).
   */
  join(key: string, req: CacheRequestView): Leader | Promise<CacheEntry | null> {
    const before = this.collapser.collapsed;
    const r = this.collapser.join(key);
    if (r === LEADER) return r;
    if (this.collapser.collapsed !== before) this.stats.collapsed++;
    const headers = req.headers;
    return r.then((entry) => (entry !== null && variantMatches(entry, headers) ? entry : null));
  }

  /**
   * `stale-while-revalidate`: whether this request should refresh `key` in the background (it
   * becomes the flight's leader, and must `release`); false when a fetch of it is in flight.
   */
  leadRefresh(key: string): boolean {
    return this.collapser.lead(key);
  }

  /** Ends the leader's flight: waiters get `entry`, or `null` when nothing was stored. */
  release(key: string, entry: CacheEntry | null): void {
    this.collapser.release(key, entry);
  }

  /** Invalidation after an unsafe method (RFC 9111 §4.4); returns the number of entries removed. */
  invalidate(req: CacheRequestView, status: number, headers: HeaderRecord): number {
    const keys = invalidationKeys(req, status, headers);
    let n = 0;
    for (let i = 0; i < keys.length; i++) n += this.store.purge(keys[i] as string);
    return n;
  }

  /** Admin purge of one URL (`scheme://host/path?query`, all variants); returns entries removed. */
  purge(key: string): number {
    return this.store.purge(key);
  }

  /** Admin purge by key prefix (e.g. `http://host/api/`); returns entries removed. */
  purgePrefix(prefix: string): number {
    return this.store.purgePrefix(prefix);
  }
}
