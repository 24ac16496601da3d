import type { RouteConfig } from '@weir/config';
import { configDefaults } from '../spec/index';
import type { CacheSpec } from '../spec/index';

const c = configDefaults.cache;

/**
 * A forwarding route's response cache (issue 10) for the spec: `null` when the route has no
 * `cache` (the data plane then builds no cache and pays nothing per request); otherwise every
 * default filled in from `configDefaults.cache`, so `cache: {}` caches with the defaults.
 *
 * `keyHeaders` is lower-cased, de-duplicated and sorted: header names are case-insensitive, and
 * the order they are listed in does not change which requests share a key, so two configs that
 * differ only there build the same spec (and hash). Validation already refuses duplicates and
 * hop-by-hop names; nothing here re-checks them, and `maxObjectBytes <= maxBytes` is trusted too.
 * Keys are listed sorted, like the rest of the build (see spec/canonical-json.ts).
 */
export function buildCache(route: RouteConfig): CacheSpec | null {
  const cache = route.cache;
  if (cache === undefined) return null;
  return {
    collapseTimeoutMs: cache.collapseTimeoutMs ?? c.collapseTimeoutMs,
    heuristicPercent: cache.heuristicPercent ?? c.heuristicPercent,
    keyHeaders: keyHeaders(cache.keyHeaders ?? c.keyHeaders),
    maxBytes: cache.maxBytes ?? c.maxBytes,
    maxHeuristicSeconds: cache.maxHeuristicSeconds ?? c.maxHeuristicSeconds,
    maxObjectBytes: cache.maxObjectBytes ?? c.maxObjectBytes,
    storeSetCookie: cache.storeSetCookie ?? c.storeSetCookie,
  };
}

/** Lower-cased, unique, sorted by code unit (names are ASCII tokens, so this is stable across locales). */
function keyHeaders(names: readonly string[]): string[] {
  const unique = new Set<string>();
  for (let i = 0; i < names.length; i++) unique.add((names[i] as string).toLowerCase());
  return [...unique].sort();
}
