import { RouteCache, type CacheSettings } from '@weir/cache';

/** One route's cache as metrics read it. */
export interface RouteCacheReading {
  readonly route: string;
  readonly cache: RouteCache;
}

/**
 * The response caches of a worker, one per route and settings, kept across config versions so
 * a reload that keeps a route's cache settings keeps what it stored (a change of settings
 * starts an empty cache). Caches no runtime uses are dropped when a runtime is assembled
 * (`prune`), and their memory with them.
 */
export class CacheRegistry {
  private readonly caches = new Map<string, RouteCacheReading>();

  /** The cache of `route` with `settings`. */
  cache(route: string, settings: CacheSettings): RouteCache {
    const key = `${route}\u0000${JSON.stringify(settings)}`;
    let reading = this.caches.get(key);
    if (reading === undefined) {
      reading = { route, cache: new RouteCache(settings) };
      this.caches.set(key, reading);
    }
    return reading.cache;
  }

  /** Forgets caches not in `keep`. */
  prune(keep: ReadonlySet<RouteCache>): void {
    for (const [key, reading] of this.caches) if (!keep.has(reading.cache)) this.caches.delete(key);
  }

  /** Admin purge: entries removed from every cache of `route` (by exact key or by prefix). */
  purge(route: string, target: { readonly key: string } | { readonly prefix: string }): number {
    let n = 0;
    for (const reading of this.caches.values()) {
      if (reading.route !== route) continue;
      n += 'key' in target ? reading.cache.purge(target.key) : reading.cache.purgePrefix(target.prefix);
    }
    return n;
  }

  /** Every cache, for metrics. */
  readings(): IterableIterator<RouteCacheReading> {
    return this.caches.values();
  }
}
