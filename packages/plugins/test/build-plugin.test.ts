import { buildPlugin, type PluginSpec } from '../src/index';
import {
  ApiKeyPlugin,
  BasicAuthPlugin,
  CorsPlugin,
  IpFilterPlugin,
  JwtPlugin,
  RedirectPlugin,
  RequestHeadersPlugin,
  RequestIdPlugin,
  ResponseHeadersPlugin,
  RewritePrefixPlugin,
  RewriteRegexPlugin,
} from '../src/builtins/index';
import { scryptPhc, testDeps } from './support/test-request';

const edits = { set: [], add: [], remove: [] };
const cases: readonly [PluginSpec, new (...args: never[]) => unknown][] = [
  [{ type: 'requestHeaders', ...edits }, RequestHeadersPlugin],
  [{ type: 'responseHeaders', ...edits }, ResponseHeadersPlugin],
  [{ type: 'rewrite', kind: 'stripPrefix', from: '/api', to: '' }, RewritePrefixPlugin],
  [{ type: 'rewrite', kind: 'replacePrefix', from: '/api', to: '/v2' }, RewritePrefixPlugin],
  [{ type: 'redirect', location: '/x', status: 302 }, RedirectPlugin],
  [{ type: 'requestId', header: 'x-request-id', propagate: true, useTraceId: false }, RequestIdPlugin],
  [{ type: 'cors', allowOrigins: ['*'], allowMethods: ['GET'], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 600 }, CorsPlugin],
  [{ type: 'ipFilter', allow: ['10.0.0.0/8'], deny: [] }, IpFilterPlugin],
  [{ type: 'basicAuth', realm: 'weir', users: [{ name: 'a', passwordHash: scryptPhc('p') }], userHeader: null }, BasicAuthPlugin],
  [{ type: 'apiKey', header: 'x-api-key', query: null, keys: [], nameHeader: null }, ApiKeyPlugin],
  [
    {
      type: 'jwt', issuers: [], audiences: [], algorithms: ['RS256'], jwks: { keys: [] }, jwksUrl: null, jwksRefreshMs: 300_000,
      clockSkewSeconds: 60, header: 'authorization', forwardClaims: [], stripToken: false,
    },
    JwtPlugin,
  ],
];

describe('buildPlugin', () => {
  it.each(cases)('builds %j', (spec, kind) => {
    const plugin = buildPlugin(spec, testDeps());
    expect(plugin).toBeInstanceOf(kind);
    expect(plugin.type).toBe(spec.type);
  });

  it('builds a regex rewrite with the injected capturing regex', () => {
    const plugin = buildPlugin({ type: 'rewrite', kind: 'regex', pattern: '/(.*)', replacement: '/x/$1' }, testDeps(), () => ({ exec: () => null }));
    expect(plugin).toBeInstanceOf(RewriteRegexPlugin);
  });

  it('throws for an unknown type', () => {
    expect(() => buildPlugin({ type: 'nope' } as unknown as PluginSpec, testDeps())).toThrow('unknown plugin type "nope"');
  });
});
