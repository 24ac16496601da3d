/** Cache module: the worker's side of the RFC 9111 cache (`@weir/cache`), per route. */
export { CacheRegistry } from './cache-registry';
export type { RouteCacheReading } from './cache-registry';
export { CacheTurn } from './cache-turn';
export { CacheRefresh } from './cache-refresh';
