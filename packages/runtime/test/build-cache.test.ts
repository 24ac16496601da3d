import type { CacheConfig, RouteConfig, WeirConfig } from '@weir/config';
import { buildSpec, configDefaults, decodeSpec, encodeSpec } from '@weir/runtime';
import type { CacheSpec, ForwardActionSpec, RouteSpec } from '@weir/runtime';
import { minimalConfig } from './fixtures';

/** The response-cache part of buildSpec (issue 10): null without `cache`, defaults, key headers. */

/** minimalConfig with its one route "api" forwarding to "backend", plus `route`'s fields. */
function config(route: Partial<RouteConfig>): WeirConfig {
  const base = minimalConfig();
  return { ...base, routes: [{ name: 'api', upstream: 'backend', ...route } as RouteConfig] };
}

function routeOf(route: Partial<RouteConfig>): RouteSpec {
  return buildSpec(config(route)).routes[0] as RouteSpec;
}

function cacheOf(cache: CacheConfig | undefined, route: Partial<RouteConfig> = {}): CacheSpec | null {
  return (routeOf({ ...route, cache }).action as ForwardActionSpec).cache;
}

const DEFAULTS: CacheSpec = {
  maxBytes: 67_108_864,
  maxObjectBytes: 1_048_576,
  keyHeaders: [],
  storeSetCookie: false,
  heuristicPercent: 10,
  maxHeuristicSeconds: 86_400,
  collapseTimeoutMs: 10_000,
};

describe('buildSpec response caches', () => {
  it('is null without cache', () => {
    expect(cacheOf(undefined)).toBeNull();
    expect((buildSpec(minimalConfig()).routes[0]?.action as ForwardActionSpec).cache).toBeNull();
  });

  it('fills every default for an empty cache, from configDefaults', () => {
    expect(cacheOf({})).toEqual(DEFAULTS);
    expect(cacheOf({})).toEqual(configDefaults.cache);
  });

  it('keeps every field that is set', () => {
    const cache: Required<CacheConfig> = {
      maxBytes: 1024,
      maxObjectBytes: 1,
      keyHeaders: ['x-tenant'],
      storeSetCookie: true,
      heuristicPercent: 12.5,
      maxHeuristicSeconds: 0,
      collapseTimeoutMs: 0,
    };
    expect(cacheOf(cache)).toEqual(cache);
  });

  it('lower-cases, de-duplicates and sorts the key headers', () => {
    expect(cacheOf({ keyHeaders: ['X-Tenant', 'accept-language', 'x-tenant', 'Accept-Encoding', 'Accept-Language'] })?.keyHeaders).toEqual([
      'accept-encoding',
      'accept-language',
      'x-tenant',
    ]);
  });

  it('builds the same spec whatever the order and case of the key headers', () => {
    const a = buildSpec(config({ cache: { keyHeaders: ['X-Tenant', 'Accept-Language'] } }));
    const b = buildSpec(config({ cache: { keyHeaders: ['accept-language', 'x-tenant'] } }));
    expect(a.hash).toBe(b.hash);
  });

  it('does not reuse the defaults array, and freezes what it builds', () => {
    const built = cacheOf({});
    expect(built?.keyHeaders).not.toBe(configDefaults.cache.keyHeaders);
    expect(Object.isFrozen(built)).toBe(true);
    expect(Object.isFrozen(built?.keyHeaders)).toBe(true);
  });

  it('builds a cache per route, on the upstream shorthand and on a split', () => {
    const base = minimalConfig();
    const spec = buildSpec({
      ...base,
      routes: [
        { name: 'plain', upstream: 'backend' },
        { name: 'cached', split: [{ upstream: 'backend', weight: 2 }], cache: { maxBytes: 2048, maxObjectBytes: 2048 } },
      ],
    });
    expect((spec.routes[0]?.action as ForwardActionSpec).cache).toBeNull();
    expect((spec.routes[1]?.action as ForwardActionSpec).cache).toEqual({ ...DEFAULTS, maxBytes: 2048, maxObjectBytes: 2048 });
  });

  it('ignores cache on a direct-response route (validation refuses it)', () => {
    const route = routeOf({ upstream: undefined, directResponse: { status: 200 }, cache: {} });
    expect(route.action.kind).toBe('direct');
    expect('cache' in route.action).toBe(false);
  });

  it('changes the hash with the cache, and survives the codec', () => {
    const cached = buildSpec(config({ cache: {} }));
    const hashes = new Set([
      buildSpec(config({})).hash,
      cached.hash,
      buildSpec(config({ cache: { storeSetCookie: true } })).hash,
      buildSpec(config({ cache: { keyHeaders: ['x-tenant'] } })).hash,
    ]);
    expect(hashes.size).toBe(4);
    // `cache: {}` and a cache spelling out every default build the same spec.
    expect(buildSpec(config({ cache: { ...DEFAULTS, keyHeaders: [] } })).hash).toBe(cached.hash);
    expect(decodeSpec(encodeSpec(cached))).toEqual(cached);
  });
});
