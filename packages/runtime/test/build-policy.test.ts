import type { RouteConfig, WeirConfig } from '@weir/config';
import { buildSpec, configDefaults, controlDigest, rateLimitId } from '@weir/runtime';
import type { JwtPluginSpec, RouteSpec } from '@weir/runtime';
import { minimalConfig } from './fixtures';

/** The edge-policy part of buildSpec (issue 9): defaults, normalisation and rate-limit ids. */

function withRoute(route: Partial<RouteConfig>): WeirConfig {
  const config = minimalConfig();
  return { ...config, routes: [{ ...(config.routes[0] as RouteConfig), ...route }] };
}

function routeOf(route: Partial<RouteConfig>): RouteSpec {
  return buildSpec(withRoute(route)).routes[0] as RouteSpec;
}

describe('buildSpec edge policy defaults', () => {
  const spec = buildSpec(minimalConfig());

  it('fills clientAddress, server.paths and maxConnections', () => {
    expect(spec.clientAddress).toEqual({ trustedProxies: [], header: 'x-forwarded-for' });
    expect(spec.server.paths).toEqual({ mergeSlashes: true, escapedSlashes: 'reject' });
    expect(spec.listeners[0]?.limits.maxConnections).toBe(0);
  });

  it('gives a route no plugins and no limits', () => {
    expect(spec.routes[0]?.plugins).toEqual([]);
    expect(spec.routes[0]?.limits).toEqual({ rate: [], maxConcurrent: 0, maxBodyBytes: 0 });
  });

  it('canonicalises trusted proxies: bare addresses get their full prefix, IPv6 is compressed, duplicates go', () => {
    const built = buildSpec({ ...minimalConfig(), clientAddress: { trustedProxies: ['10.0.0.1', '2001:DB8:0::/32', '::1', '0::1/128'], header: 'forwarded' } });
    expect(built.clientAddress).toEqual({ trustedProxies: ['10.0.0.1/32', '2001:db8::/32', '::1/128'], header: 'forwarded' });
  });
});

describe('buildSpec rate limits', () => {
  it('fills name, window, rate per second, burst, key and scope', () => {
    const limits = routeOf({ limits: { rate: [{ rate: 2.5 }, { name: 'hourly', rate: 7200, per: 'hour', burst: 10, key: { kind: 'header', name: 'X-Tenant' }, scope: 'global' }] } }).limits;
    expect(limits.rate).toEqual([
      { name: 'api-0', quota: 2.5, windowSeconds: 1, ratePerSecond: 2.5, burst: 3, key: { kind: 'clientAddress' }, scope: 'host', id: expect.stringMatching(/^[0-9a-f]{16}$/) },
      { name: 'hourly', quota: 7200, windowSeconds: 3600, ratePerSecond: 2, burst: 10, key: { kind: 'header', name: 'x-tenant' }, scope: 'global', id: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    expect(routeOf({ limits: { rate: [{ rate: 120, per: 'minute' }] } }).limits.rate[0]).toMatchObject({ windowSeconds: 60, ratePerSecond: 2, burst: 120 });
  });

  it('keeps maxConcurrent and maxBodyBytes, on direct-response routes too', () => {
    const route = routeOf({ upstream: undefined, directResponse: { status: 200 }, limits: { maxConcurrent: 5, maxBodyBytes: 1024 } });
    expect(route.limits).toEqual({ rate: [], maxConcurrent: 5, maxBodyBytes: 1024 });
  });

  it('derives a stable id from route, name, rate, per, burst and scope, not from the key', () => {
    const id = (limit: NonNullable<NonNullable<RouteConfig['limits']>['rate']>[number]): string => routeOf({ limits: { rate: [limit] } }).limits.rate[0]?.id as string;
    const base = id({ rate: 10 });
    expect(base).toBe(rateLimitId('api', 'api-0', 10, 'second', 10, 'host'));
    expect(id({ rate: 10, name: 'api-0', per: 'second', burst: 10, scope: 'host' })).toBe(base);
    expect(id({ rate: 10, key: { kind: 'route' } })).toBe(base);
    const changed = [id({ rate: 11 }), id({ rate: 10, per: 'minute' }), id({ rate: 10, burst: 20 }), id({ rate: 10, scope: 'global' }), id({ rate: 10, name: 'other' })];
    expect(new Set([base, ...changed]).size).toBe(6);
    // Pinned: the id names host leases and Redis keys across hosts and releases, so its recipe
    // (sha256 of the canonical JSON array, first 16 hex digits) must not drift.
    expect(base).toBe('32e5067038dc9270');
  });
});

describe('buildSpec plugins', () => {
  it('fills every plugin default and normalises names', () => {
    const plugins = routeOf({
      plugins: [
        { type: 'requestHeaders', set: { 'X-B': '2', 'X-A': '1' }, add: { Via: 'weir' }, remove: ['X-Debug', 'x-debug'] },
        { type: 'responseHeaders' },
        { type: 'rewrite', stripPrefix: '/api' },
        { type: 'rewrite', replacePrefix: { from: '/v1', to: '/v2' } },
        { type: 'rewrite', regex: { pattern: '/(.*)', replacement: '/x/$1' } },
        { type: 'redirect', location: '/new' },
        { type: 'requestId' },
        { type: 'cors', allowOrigins: ['https://App.example.com'], allowHeaders: ['X-Trace'] },
        { type: 'ipFilter', allow: ['10.0.0.1'] },
        { type: 'basicAuth', users: [{ name: 'ops', passwordHash: '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA' }] },
        { type: 'apiKey', keys: [{ name: 'ci', sha256: 'a'.repeat(64) }] },
        { type: 'jwt', jwksUrl: 'https://issuer.example.com/jwks.json' },
      ],
    }).plugins;
    expect(plugins).toEqual([
      { type: 'requestHeaders', set: [{ name: 'x-a', value: '1' }, { name: 'x-b', value: '2' }], add: [{ name: 'via', value: 'weir' }], remove: ['x-debug'] },
      { type: 'responseHeaders', set: [], add: [], remove: [] },
      { type: 'rewrite', kind: 'stripPrefix', from: '/api', to: '' },
      { type: 'rewrite', kind: 'replacePrefix', from: '/v1', to: '/v2' },
      { type: 'rewrite', kind: 'regex', pattern: '/(.*)', replacement: '/x/$1' },
      { type: 'redirect', location: '/new', status: 302 },
      { type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: false },
      {
        type: 'cors',
        allowOrigins: ['https://app.example.com'],
        allowMethods: ['GET', 'HEAD', 'POST'],
        allowHeaders: ['x-trace'],
        exposeHeaders: [],
        allowCredentials: false,
        maxAgeSeconds: 600,
      },
      { type: 'ipFilter', allow: ['10.0.0.1/32'], deny: [] },
      { type: 'basicAuth', realm: 'weir', users: [{ name: 'ops', passwordHash: '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA' }], userHeader: null },
      { type: 'apiKey', header: 'x-api-key', query: null, keys: [{ name: 'ci', sha256: 'a'.repeat(64) }], nameHeader: null },
      {
        type: 'jwt',
        issuers: [],
        audiences: [],
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'],
        jwks: null,
        jwksUrl: 'https://issuer.example.com/jwks.json',
        jwksRefreshMs: 300_000,
        clockSkewSeconds: 60,
        header: 'authorization',
        forwardClaims: [],
        stripToken: false,
      },
    ]);
    expect(configDefaults.jwtPlugin.algorithms.some((alg) => alg.startsWith('HS'))).toBe(false);
  });

  it('copies explicit values: upper-cased methods, lower-cased headers, inline keys with sorted members', () => {
    const jwk = { y: 'Y', x: 'X', kty: 'EC', crv: 'P-256' };
    const [cors, jwt] = routeOf({
      plugins: [
        { type: 'cors', allowOrigins: ['*'], allowMethods: ['get', 'PUT', 'put'], exposeHeaders: ['X-Total'], maxAgeSeconds: 0 },
        { type: 'jwt', jwks: { keys: [jwk] }, algorithms: ['ES256'], header: 'X-Token', forwardClaims: [{ claim: 'sub', header: 'X-Sub' }], stripToken: true },
      ],
    }).plugins;
    expect(cors).toMatchObject({ allowMethods: ['GET', 'PUT'], exposeHeaders: ['x-total'], maxAgeSeconds: 0 });
    expect(jwt).toMatchObject({ algorithms: ['ES256'], header: 'x-token', forwardClaims: [{ claim: 'sub', header: 'x-sub' }], stripToken: true, jwksUrl: null });
    const keys = (jwt as JwtPluginSpec).jwks?.keys ?? [];
    expect(keys).toEqual([jwk]);
    expect(Object.keys(keys[0] as object)).toEqual(['crv', 'kty', 'x', 'y']);
    expect(keys[0]).not.toBe(jwk);
  });

  it('creates every policy object with sorted keys, deep-frozen', () => {
    const spec = buildSpec(
      withRoute({
        plugins: [
          { type: 'requestHeaders', set: { b: '1' } },
          { type: 'cors', allowOrigins: ['*'] },
          { type: 'jwt', jwks: { keys: [{ y: 'Y', x: 'X', kty: 'EC', crv: 'P-256' }] } },
          { type: 'rewrite', regex: { pattern: '/(.*)', replacement: '/$1' } },
        ],
        limits: { rate: [{ rate: 1, key: { kind: 'header', name: 'x' } }], maxConcurrent: 1 },
      }),
    );
    const unsorted: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (value === null || typeof value !== 'object') return;
      if (!Object.isFrozen(value)) unsorted.push(`${at} (not frozen)`);
      if (!Array.isArray(value)) {
        const keys = Object.keys(value);
        if (keys.join() !== [...keys].sort().join()) unsorted.push(at);
      }
      for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key}`);
    };
    walk(spec, '');
    expect(unsorted).toEqual([]);
  });

  it('hashes header edits the same whatever their key order', () => {
    const a = buildSpec(withRoute({ plugins: [{ type: 'requestHeaders', set: { 'x-a': '1', 'x-b': '2' } }] }));
    const b = buildSpec(withRoute({ plugins: [{ type: 'requestHeaders', set: { 'x-b': '2', 'x-a': '1' } }] }));
    expect(a.hash).toBe(b.hash);
  });
});

describe('globalLimits', () => {
  const globalLimits = { redis: 'redis.internal:6379', password: 'hunter2' };

  it('stays out of the spec, but changes the control digest and so the version', () => {
    const before = buildSpec(minimalConfig());
    const after = buildSpec({ ...minimalConfig(), globalLimits });
    expect(JSON.stringify(after)).not.toContain('hunter2');
    expect(JSON.stringify(after)).not.toContain('redis.internal');
    expect(after.hash).not.toBe(before.hash);
    expect({ ...after, controlDigest: '', hash: '', version: '' }).toEqual({ ...before, controlDigest: '', hash: '', version: '' });
  });

  it('leaves the digest of a config without it unchanged', () => {
    expect(controlDigest(minimalConfig())).toBe(controlDigest({ ...minimalConfig(), admin: {} }));
    expect(controlDigest({ ...minimalConfig(), globalLimits })).not.toBe(controlDigest({ ...minimalConfig(), globalLimits: { ...globalLimits, database: 1 } }));
  });
});
