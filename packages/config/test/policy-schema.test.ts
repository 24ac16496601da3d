import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '@weir/config';
import type {
  ApiKeyPluginConfig,
  BasicAuthPluginConfig,
  CorsPluginConfig,
  IpFilterPluginConfig,
  JwtPluginConfig,
  RedirectPluginConfig,
  RequestHeadersPluginConfig,
  RequestIdPluginConfig,
  ResponseHeadersPluginConfig,
  RewritePluginConfig,
} from '../src/types/index';
import { validateConfig } from '../src/validate/index';
import { problemsOf, validConfig } from './fixtures/configs';
import { EC_PUBLIC_JWK, KEY_SHA256, PASSWORD_HASH, pluginsOf, policyConfig } from './fixtures/policy-configs';

/** The schema side of the edge policy (issue 9): what it accepts, refuses, and how it says so. */

const defs = configSchema['$defs'] as Readonly<Record<string, { readonly properties: Readonly<Record<string, unknown>> }>>;

/**
 * One value of each plugin type with every field set, checked by the compiler against the
 * config types (`Required<...>`), so the schema's plugin definitions can be compared with them.
 */
const EVERY_PLUGIN_FIELD: readonly Readonly<Record<string, unknown>>[] = [
  { type: 'requestHeaders', set: {}, add: {}, remove: [] } satisfies Required<RequestHeadersPluginConfig>,
  { type: 'responseHeaders', set: {}, add: {}, remove: [] } satisfies Required<ResponseHeadersPluginConfig>,
  { type: 'rewrite', stripPrefix: '/a', replacePrefix: { from: '/a', to: '/b' }, regex: { pattern: 'a', replacement: '/' } } satisfies Required<RewritePluginConfig>,
  { type: 'redirect', location: '/', status: 302 } satisfies Required<RedirectPluginConfig>,
  { type: 'requestId', header: 'x', propagate: true, useTraceId: false } satisfies Required<RequestIdPluginConfig>,
  {
    type: 'cors',
    allowOrigins: ['*'],
    allowMethods: [],
    allowHeaders: [],
    exposeHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: 1,
  } satisfies Required<CorsPluginConfig>,
  { type: 'ipFilter', allow: [], deny: [] } satisfies Required<IpFilterPluginConfig>,
  { type: 'basicAuth', realm: 'r', users: [], userHeader: 'x' } satisfies Required<BasicAuthPluginConfig>,
  { type: 'apiKey', header: 'x', query: 'q', keys: [], nameHeader: 'x' } satisfies Required<ApiKeyPluginConfig>,
  {
    type: 'jwt',
    issuers: [],
    audiences: [],
    algorithms: [],
    jwks: { keys: [] },
    jwksUrl: 'https://x',
    jwksRefreshMs: 1000,
    clockSkewSeconds: 0,
    header: 'x',
    forwardClaims: [],
    stripToken: false,
  } satisfies Required<JwtPluginConfig>,
];

describe('edge policy in the schema', () => {
  it('accepts every new field, every plugin type, at its bounds', () => {
    const config = policyConfig();
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('declares exactly the fields of each plugin type', () => {
    const mismatches: string[] = [];
    for (const plugin of EVERY_PLUGIN_FIELD) {
      const declared = Object.keys(defs[`${String(plugin['type'])}Plugin`]?.properties ?? {}).sort();
      const typed = Object.keys(plugin).sort();
      if (declared.join() !== typed.join()) mismatches.push(`${String(plugin['type'])}: schema [${declared.join()}] vs types [${typed.join()}]`);
    }
    expect(mismatches).toEqual([]);
  });

  it('names an unknown or missing plugin type once, at "type"', () => {
    const config = policyConfig();
    const plugins = pluginsOf(config, 3);
    plugins[0] = { type: 'gzip' };
    plugins[1] = { allow: ['10.0.0.0/8'] };
    expect(problemsOf(config)).toEqual([
      {
        pointer: '/routes/3/plugins/0/type',
        message: 'must be one of "requestHeaders", "responseHeaders", "rewrite", "redirect", "requestId", "cors", "ipFilter", "basicAuth", "apiKey", "jwt"',
      },
      { pointer: '/routes/3/plugins/1/type', message: 'is required' },
    ]);
  });

  it('checks a plugin against its own type only, with pointers and suggestions', () => {
    const config = policyConfig();
    pluginsOf(config, 1)[0] = { type: 'redirect', status: 304, locaton: '/x' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/plugins/0/location', message: 'is required' },
      { pointer: '/routes/1/plugins/0/locaton', message: 'unknown property "locaton" (did you mean "location"?)' },
      { pointer: '/routes/1/plugins/0/status', message: 'must be one of 301, 302, 303, 307, 308' },
    ]);
  });

  it('refuses out-of-range limits and plugin numbers', () => {
    const config = policyConfig();
    config.listeners[0]!.limits!.maxConnections = 1000001;
    const limits = config.routes[3]!.limits!;
    limits.maxConcurrent = 0;
    limits.maxBodyBytes = 1.5;
    limits.rate![0] = { rate: 0, burst: 0 };
    limits.rate![1] = { rate: 1, burst: 1.5, per: 'day' as 'hour' };
    const plugins = pluginsOf(config, 3);
    (plugins[2] as Record<string, unknown>)['maxAgeSeconds'] = 86401;
    (plugins[5] as Record<string, unknown>)['clockSkewSeconds'] = 3601;
    expect(problemsOf(config).map((p) => p.pointer)).toEqual([
      '/listeners/0/limits/maxConnections',
      '/routes/3/limits/maxBodyBytes',
      '/routes/3/limits/maxConcurrent',
      '/routes/3/limits/rate/0/burst',
      '/routes/3/limits/rate/0/rate',
      '/routes/3/limits/rate/1/burst',
      '/routes/3/limits/rate/1/per',
      '/routes/3/plugins/2/maxAgeSeconds',
      '/routes/3/plugins/5/clockSkewSeconds',
    ]);
  });

  it('refuses malformed secrets, names, addresses and URLs in operator words', () => {
    const config = policyConfig();
    config.clientAddress = { trustedProxies: ['10.0.0.0/8 '] };
    config.globalLimits = { redis: 'redis.internal' };
    const plugins = pluginsOf(config, 3);
    plugins[3] = { type: 'basicAuth', users: [{ name: 'a:b', passwordHash: 'plain' }] };
    plugins[4] = { type: 'apiKey', keys: [{ name: 'ci', sha256: KEY_SHA256.toUpperCase() }] };
    plugins[5] = { type: 'jwt', jwksUrl: 'ftp://keys.example.com/jwks', jwksRefreshMs: 999, algorithms: ['none'] };
    plugins[6] = { type: 'requestHeaders', set: { 'X Bad': 'v' } };
    expect(problemsOf(config)).toEqual([
      { pointer: '/clientAddress/trustedProxies/0', message: 'must be an IPv4 or IPv6 address, optionally with a prefix length ("10.0.0.0/8", "2001:db8::/32")' },
      {
        pointer: '/globalLimits/redis',
        message: 'must be host:port: an IPv4 address, a bracketed IPv6 address or a DNS name, then ":" and the port ("127.0.0.1:6379")',
      },
      { pointer: '/routes/3/plugins/3/users/0/name', message: 'must not contain ":" or control characters (RFC 7617)' },
      {
        pointer: '/routes/3/plugins/3/users/0/passwordHash',
        message: 'must be "$scrypt$ln=<n>,r=<n>,p=<n>$<salt>$<hash>" (base64 without padding) as printed by "weirctl hash-secret" (never the password itself)',
      },
      {
        pointer: '/routes/3/plugins/4/keys/0/sha256',
        message: 'must be 64 lower-case hex digits: the SHA-256 of the key as printed by "weirctl hash-secret --sha256" (never the key itself)',
      },
      { pointer: '/routes/3/plugins/5/algorithms/0', message: expect.stringMatching(/^must be one of "HS256", .*"EdDSA"$/) as unknown as string },
      { pointer: '/routes/3/plugins/5/jwksRefreshMs', message: 'must be >= 1000' },
      { pointer: '/routes/3/plugins/5/jwksUrl', message: 'must be an http:// or https:// URL without whitespace' },
      { pointer: '/routes/3/plugins/6/set/X Bad', message: expect.stringMatching(/^name "X Bad" must be an HTTP token/) as unknown as string },
    ]);
  });

  it('requires a name for header and claim keys, a token for a header key', () => {
    const config = policyConfig();
    const rate = config.routes[3]!.limits!.rate!;
    rate[1]!.key = { kind: 'claim' } as never;
    rate[2]!.key = { kind: 'header', name: 'X Tenant' };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/3/limits/rate/1/key/name', '/routes/3/limits/rate/2/key/name']);
  });

  it('accepts a minimal plugin of each type', () => {
    const config = policyConfig();
    config.routes[3]!.plugins = [
      { type: 'requestId' },
      { type: 'cors', allowOrigins: ['*'] },
      { type: 'ipFilter', deny: ['0.0.0.0/0'] },
      { type: 'basicAuth', users: [{ name: 'u', passwordHash: PASSWORD_HASH }] },
      { type: 'apiKey', keys: [{ name: 'k', sha256: KEY_SHA256 }] },
      { type: 'jwt', jwks: { keys: [EC_PUBLIC_JWK] } },
      { type: 'requestHeaders' },
      { type: 'responseHeaders' },
      { type: 'rewrite', stripPrefix: '/api' },
    ];
    config.routes[3]!.limits = { rate: [{ rate: 1, key: { kind: 'claim', name: 'sub' } }] };
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('accepts every plugin example of apps/weir/docs/config.md on a forwarding route', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'apps', 'weir', 'docs', 'config.md'), 'utf8');
    const examples = [...doc.matchAll(/```json\n(\{ "type": [\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string) as Record<string, unknown>);
    expect(examples.map((e) => e['type'])).toEqual(['requestHeaders', 'rewrite', 'redirect', 'requestId', 'cors', 'ipFilter', 'basicAuth', 'apiKey', 'jwt']);
    for (const example of examples) {
      const config = validConfig();
      config.routes[1]!.plugins = [example as never];
      expect({ type: example['type'], check: validateConfig(config) }).toEqual({ type: example['type'], check: { ok: true, config } });
    }
  });
});
