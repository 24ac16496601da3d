import { validateConfig } from '../src/validate/index';
import { cacheConfig, cacheOf } from './fixtures/cache-configs';
import { problemsOf, validConfig } from './fixtures/configs';

/** The semantic checks of response caches (issue 10): each invalid case, with its pointer. */

describe('response caches on routes', () => {
  it('accepts a cache on a split route and on an upstream shorthand route', () => {
    const config = cacheConfig();
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('accepts an empty cache', () => {
    const config = validConfig();
    config.routes[3]!.cache = {};
    config.routes[1]!.cache = { keyHeaders: [] };
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('refuses a cache on a direct-response route, and nothing more there', () => {
    const config = validConfig();
    config.routes[0]!.cache = { maxBytes: 1024, keyHeaders: ['connection'] };
    config.routes[4]!.cache = {};
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/0/cache', message: 'a direct-response route has no upstream response to cache: remove "cache"' },
      { pointer: '/routes/4/cache', message: 'a direct-response route has no upstream response to cache: remove "cache"' },
    ]);
  });

  it('leaves a route with several actions to the action check', () => {
    const config = validConfig();
    config.routes[0]!.upstream = 'web';
    config.routes[0]!.cache = {};
    expect(problemsOf(config)).toEqual([{ pointer: '/routes/0', message: 'route has "upstream" and "directResponse": set exactly one action' }]);
  });
});

describe('response cache sizes', () => {
  it('accepts maxObjectBytes up to maxBytes, defaults included', () => {
    const config = validConfig();
    config.routes[3]!.cache = { maxBytes: 4096, maxObjectBytes: 4096 };
    config.routes[1]!.cache = { maxBytes: 1048576 };
    config.routes[2]!.cache = { maxObjectBytes: 67108864 };
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('refuses maxObjectBytes above maxBytes, at the field written (maxObjectBytes when both are)', () => {
    const config = cacheConfig();
    cacheOf(config, 1).maxObjectBytes = 1025;
    config.routes[2]!.cache = { maxBytes: 65536 };
    config.routes[3]!.cache = { maxObjectBytes: 67108865 };
    expect(problemsOf(config)).toEqual([
      {
        pointer: '/routes/1/cache/maxObjectBytes',
        message: 'maxObjectBytes (1025) must not exceed maxBytes (1024): a response larger than the whole cache could never be stored',
      },
      {
        pointer: '/routes/2/cache/maxBytes',
        message: 'maxObjectBytes (1048576, the default) must not exceed maxBytes (65536): a response larger than the whole cache could never be stored',
      },
      {
        pointer: '/routes/3/cache/maxObjectBytes',
        message: 'maxObjectBytes (67108865) must not exceed maxBytes (67108864, the default): a response larger than the whole cache could never be stored',
      },
    ]);
  });
});

describe('response cache key headers', () => {
  it('refuses hop-by-hop headers, case-insensitively', () => {
    const config = cacheConfig();
    cacheOf(config, 3).keyHeaders = ['x-tenant', 'Connection', 'keep-alive', 'Proxy-Connection', 'TE', 'trailer', 'Transfer-Encoding', 'upgrade'];
    const why = 'a hop-by-hop header (it describes the connection and is not forwarded)';
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/cache/keyHeaders/1', message: `"Connection" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/2', message: `"keep-alive" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/3', message: `"Proxy-Connection" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/4', message: `"TE" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/5', message: `"trailer" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/6', message: `"Transfer-Encoding" cannot be part of the cache key: ${why}` },
      { pointer: '/routes/3/cache/keyHeaders/7', message: `"upgrade" cannot be part of the cache key: ${why}` },
    ]);
  });

  it('refuses a header listed twice in different case, and accepts end-to-end headers', () => {
    const config = cacheConfig();
    cacheOf(config, 3).keyHeaders = ['X-Tenant', 'accept-language', 'x-tenant', 'cookie', 'Authorization', 'Accept-Language'];
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/cache/keyHeaders/2', message: 'header "x-tenant" is already listed as "X-Tenant" (header names are case-insensitive)' },
      { pointer: '/routes/3/cache/keyHeaders/5', message: 'header "Accept-Language" is already listed as "accept-language" (header names are case-insensitive)' },
    ]);
  });
});
