import { configSchema } from '@weir/config';
import type { CacheConfig } from '../src/types/index';
import { validateConfig } from '../src/validate/index';
import { cacheConfig, cacheOf } from './fixtures/cache-configs';
import { problemsOf, validConfig } from './fixtures/configs';

/** The schema side of response caches (issue 10): what it accepts, refuses, and how it says so. */

const defs = configSchema['$defs'] as Readonly<Record<string, { readonly properties: Readonly<Record<string, { readonly default?: unknown }>> }>>;

/** A cache with every field set, checked by the compiler against the config type. */
const EVERY_CACHE_FIELD = {
  maxBytes: 1024,
  maxObjectBytes: 1,
  keyHeaders: [],
  storeSetCookie: false,
  heuristicPercent: 0,
  maxHeuristicSeconds: 0,
  collapseTimeoutMs: 0,
} satisfies Required<CacheConfig>;

describe('response caches in the schema', () => {
  it('accepts every field, at its upper and its lower bounds', () => {
    const config = cacheConfig();
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('accepts an empty cache, and each field alone', () => {
    const caches: CacheConfig[] = [
      {},
      { maxBytes: 2097152 },
      { maxObjectBytes: 4096 },
      { keyHeaders: ['accept-language', 'X-Tenant'] },
      { storeSetCookie: true },
      { heuristicPercent: 12.5 },
      { maxHeuristicSeconds: 3600 },
      { collapseTimeoutMs: 250 },
    ];
    for (const cache of caches) {
      const config = validConfig();
      config.routes[3]!.cache = cache as never;
      expect({ cache, check: validateConfig(config) }).toEqual({ cache, check: { ok: true, config } });
    }
  });

  it('declares exactly the fields of the cache type', () => {
    expect(Object.keys(defs['cache']?.properties ?? {}).sort()).toEqual(Object.keys(EVERY_CACHE_FIELD).sort());
  });

  it('states the defaults of the config type doc comments', () => {
    const declared = Object.fromEntries(Object.entries(defs['cache']?.properties ?? {}).map(([key, field]) => [key, field.default]));
    expect(declared).toEqual({
      maxBytes: 67108864,
      maxObjectBytes: 1048576,
      keyHeaders: [],
      storeSetCookie: false,
      heuristicPercent: 10,
      maxHeuristicSeconds: 86400,
      collapseTimeoutMs: 10000,
    });
  });

  it('refuses unknown keys with a suggestion, and values of the wrong type', () => {
    const config = cacheConfig();
    const cache = cacheOf(config, 3) as Record<string, unknown>;
    cache['maxObjectByte'] = 10;
    cache['storeSetCookie'] = 'yes';
    cache['keyHeaders'] = 'x-tenant';
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/cache/keyHeaders', message: 'must be an array' },
      { pointer: '/routes/3/cache/maxObjectByte', message: 'unknown property "maxObjectByte" (did you mean "maxObjectBytes"?)' },
      { pointer: '/routes/3/cache/storeSetCookie', message: 'must be a boolean' },
    ]);
  });

  it('refuses out-of-range and fractional numbers', () => {
    const config = cacheConfig();
    Object.assign(cacheOf(config, 3), {
      maxBytes: 68719476737,
      maxObjectBytes: 1073741825,
      heuristicPercent: 100.5,
      maxHeuristicSeconds: 31536001,
      collapseTimeoutMs: 600001,
    });
    Object.assign(cacheOf(config, 1), { maxBytes: 1023, maxObjectBytes: 0, heuristicPercent: -0.1, maxHeuristicSeconds: -1, collapseTimeoutMs: -1 });
    config.routes[2]!.cache = { maxBytes: 4096.5, maxObjectBytes: 1.5, maxHeuristicSeconds: 0.5, collapseTimeoutMs: 2.5 };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/cache/collapseTimeoutMs', message: 'must be >= 0' },
      { pointer: '/routes/1/cache/heuristicPercent', message: 'must be >= 0' },
      { pointer: '/routes/1/cache/maxBytes', message: 'must be >= 1024' },
      { pointer: '/routes/1/cache/maxHeuristicSeconds', message: 'must be >= 0' },
      { pointer: '/routes/1/cache/maxObjectBytes', message: 'must be >= 1' },
      { pointer: '/routes/2/cache/collapseTimeoutMs', message: 'must be an integer' },
      { pointer: '/routes/2/cache/maxBytes', message: 'must be an integer' },
      { pointer: '/routes/2/cache/maxHeuristicSeconds', message: 'must be an integer' },
      { pointer: '/routes/2/cache/maxObjectBytes', message: 'must be an integer' },
      { pointer: '/routes/3/cache/collapseTimeoutMs', message: 'must be <= 600000' },
      { pointer: '/routes/3/cache/heuristicPercent', message: 'must be <= 100' },
      { pointer: '/routes/3/cache/maxBytes', message: 'must be <= 68719476736' },
      { pointer: '/routes/3/cache/maxHeuristicSeconds', message: 'must be <= 31536000' },
      { pointer: '/routes/3/cache/maxObjectBytes', message: 'must be <= 1073741824' },
    ]);
  });

  it('refuses key headers that are not tokens, in operator words', () => {
    const config = cacheConfig();
    cacheOf(config, 3).keyHeaders = ['x-tenant', 'X Tenant', 'x-tenant:', ''];
    const token = expect.stringMatching(/^must be an HTTP token/) as unknown as string;
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/cache/keyHeaders/1', message: token },
      { pointer: '/routes/3/cache/keyHeaders/2', message: token },
      { pointer: '/routes/3/cache/keyHeaders/3', message: token },
    ]);
  });

  it('bounds key headers to 16, each listed once', () => {
    const config = cacheConfig();
    cacheOf(config, 3).keyHeaders!.push('x-key-16');
    cacheOf(config, 1).keyHeaders = ['x-tenant', 'x-tenant'];
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/cache/keyHeaders/1', message: 'duplicate of item 0' },
      { pointer: '/routes/3/cache/keyHeaders', message: 'must NOT have more than 16 items' },
    ]);
  });
});
