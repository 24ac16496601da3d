import { generateKeyPairSync } from 'node:crypto';
import { validateConfig } from '../src/validate/index';
import { captureGroupCount } from '../src/validate/checks/rewrite-plugin';
import { parseCidr } from '../src/validate/checks/cidr';
import { problemsOf } from './fixtures/configs';
import { EC_PUBLIC_JWK, KEY_SHA256, OCT_JWK, PASSWORD_HASH, pluginsOf, policyConfig } from './fixtures/policy-configs';

/** The semantic checks of the edge policy (issue 9): each invalid case, with its pointer. */

describe('clientAddress and ipFilter CIDRs', () => {
  it('parses CIDRs, canonically, refusing host bits, bad prefixes and zones', () => {
    expect(parseCidr('10.0.0.1')).toEqual({ ok: true, canonical: '10.0.0.1/32', family: 4, prefix: 32 });
    expect(parseCidr('2001:DB8:0::/32')).toEqual({ ok: true, canonical: '2001:db8::/32', family: 6, prefix: 32 });
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatchObject({ ok: true, prefix: 104 });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ ok: true });
    expect(parseCidr('10.0.0.1/8')).toEqual({ ok: false, reason: expect.stringContaining('(10.0.0.0/8)') as unknown as string });
    expect(parseCidr('2001:db8::1/32')).toEqual({ ok: false, reason: expect.stringContaining('(2001:db8::/32)') as unknown as string });
    expect(parseCidr('10.0.0.0/33')).toMatchObject({ ok: false });
    expect(parseCidr('::/129')).toMatchObject({ ok: false });
    expect(parseCidr('10.0.0.0/08')).toMatchObject({ ok: false });
    expect(parseCidr('fe80::1%eth0')).toMatchObject({ ok: false });
    expect(parseCidr('10.0.0')).toMatchObject({ ok: false });
  });

  it('reports invalid and duplicate networks at their pointers', () => {
    const config = policyConfig();
    config.clientAddress = { trustedProxies: ['10.0.0.0/8', '10.0.0.1/8', '::1', '0::1/128', '999.0.0.1'] };
    pluginsOf(config, 3)[1] = { type: 'ipFilter', allow: ['192.168.0.0/33'] };
    config.routes[4]!.plugins = [{ type: 'ipFilter' }];
    expect(problemsOf(config).map((p) => p.pointer)).toEqual([
      '/clientAddress/trustedProxies/1',
      '/clientAddress/trustedProxies/3',
      '/clientAddress/trustedProxies/4',
      '/routes/3/plugins/1/allow/0',
      '/routes/4/plugins/0',
    ]);
  });
});

describe('rewrite plugins', () => {
  it('counts capture groups as RE2 does', () => {
    expect(captureGroupCount('/a/(b)/(?:c)/(?P<d>e)/(?<f>g)')).toBe(3);
    expect(captureGroupCount('\\(x\\)[(]\\Q(literal)\\E(y)')).toBe(1);
    expect(captureGroupCount('[^]()][[:alpha:](](z)(?i)(?i:w)')).toBe(1);
  });

  it('needs exactly one form, a compiling regex and a replacement that refers to real captures', () => {
    const config = policyConfig();
    const plugins = pluginsOf(config, 3);
    plugins[6] = { type: 'rewrite' };
    plugins[7] = { type: 'rewrite', stripPrefix: '/a', replacePrefix: { from: '/a', to: '/b' } };
    plugins[8] = { type: 'rewrite', regex: { pattern: '/(a)(?=b)', replacement: '/$1' } };
    plugins.push(
      { type: 'rewrite', regex: { pattern: '/(a)/(b)', replacement: '/$3/$0/$$/$x' } },
      { type: 'rewrite', regex: { pattern: '/(a)', replacement: 'a$1' } },
      { type: 'rewrite', regex: { pattern: '/(a)', replacement: '$1/x' } },
      { type: 'rewrite', regex: { pattern: '/x{1,1000}', replacement: '/' } },
    );
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/routes/3/plugins/6',
      '/routes/3/plugins/7',
      '/routes/3/plugins/8/regex/pattern',
      '/routes/3/plugins/9/regex/replacement',
      '/routes/3/plugins/9/regex/replacement',
      '/routes/3/plugins/9/regex/replacement',
      '/routes/3/plugins/10/regex/replacement',
      '/routes/3/plugins/12/regex/pattern',
    ]);
    expect(problems[3]?.message).toBe('"$3" refers to a capture the pattern does not have (it has only 2 capture groups)');
    expect(problems[7]?.message).toContain('server.regexMaxProgramSize');
  });
});

describe('redirect, cors, header edits and duplicates', () => {
  it('accepts absolute URLs and paths, with {path} and {host}', () => {
    const config = policyConfig();
    for (const location of ['/moved', '{path}', 'http://example.com', 'https://{host}:8443{path}', '/new{path}']) {
      config.routes[1]!.plugins = [{ type: 'redirect', location }];
      expect(validateConfig(config).ok).toBe(true);
    }
  });

  it('refuses relative, protocol-relative and non-http locations and unknown placeholders', () => {
    for (const location of ['moved', '//evil.example', 'ftp://example.com/x', 'https://', 'https://{host}{query}', 'javascript:alert(1)']) {
      const config = policyConfig();
      config.routes[1]!.plugins = [{ type: 'redirect', location }];
      expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/1/plugins/0/location']);
    }
  });

  it('refuses credentials with any origin, and "*" beside origins', () => {
    const config = policyConfig();
    (pluginsOf(config, 3)[2] as Record<string, unknown>)['allowOrigins'] = ['*', 'https://a.example'];
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/3/plugins/2/allowCredentials', '/routes/3/plugins/2/allowOrigins']);
  });

  it('refuses hop-by-hop, content-length and host edits, and a name set twice', () => {
    const config = policyConfig();
    const plugins = pluginsOf(config, 3);
    plugins[6] = { type: 'requestHeaders', set: { Host: 'x', 'X-A': '1', 'x-a': '2' }, add: { Connection: 'close' }, remove: ['Content-Length'] };
    plugins[7] = { type: 'responseHeaders', set: { Host: 'fine-on-responses' }, remove: ['Transfer-Encoding'] };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual([
      '/routes/3/plugins/6/add/Connection',
      '/routes/3/plugins/6/remove/0',
      '/routes/3/plugins/6/set/Host',
      '/routes/3/plugins/6/set/x-a',
      '/routes/3/plugins/7/remove/0',
    ]);
  });

  it('allows cors, jwt, requestId and redirect once per route, and unique users and keys', () => {
    const config = policyConfig();
    const plugins = pluginsOf(config, 3);
    plugins.push({ type: 'requestId' }, { type: 'cors', allowOrigins: ['*'] }, { type: 'requestHeaders' });
    plugins[3] = { type: 'basicAuth', users: [{ name: 'a', passwordHash: PASSWORD_HASH }, { name: 'a', passwordHash: PASSWORD_HASH }] };
    plugins[4] = { type: 'apiKey', keys: [{ name: 'a', sha256: KEY_SHA256 }, { name: 'b', sha256: KEY_SHA256 }, { name: 'a', sha256: 'b'.repeat(64) }] };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual([
      '/routes/3/plugins/3/users/1/name',
      '/routes/3/plugins/4/keys/1/sha256',
      '/routes/3/plugins/4/keys/2/name',
      '/routes/3/plugins/9/type',
      '/routes/3/plugins/10/type',
    ]);
  });
});

describe('jwt plugins', () => {
  function withJwt(jwt: Record<string, unknown>): ReturnType<typeof policyConfig> {
    const config = policyConfig();
    pluginsOf(config, 3)[5] = { type: 'jwt', ...jwt };
    return config;
  }

  it('accepts HS* with inline oct keys and asymmetric keys from a URL', () => {
    expect(validateConfig(withJwt({ algorithms: ['HS256', 'ES256'], jwks: { keys: [OCT_JWK, EC_PUBLIC_JWK] } })).ok).toBe(true);
    expect(validateConfig(withJwt({ jwksUrl: 'https://issuer.example.com/jwks.json', jwksRefreshMs: 60000 })).ok).toBe(true);
  });

  it('needs exactly one of jwks and jwksUrl, and jwksRefreshMs only with a URL', () => {
    expect(problemsOf(withJwt({})).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5']);
    expect(problemsOf(withJwt({ jwks: { keys: [EC_PUBLIC_JWK] }, jwksUrl: 'https://x.example' })).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5']);
    expect(problemsOf(withJwt({ jwks: { keys: [EC_PUBLIC_JWK] }, jwksRefreshMs: 1000 })).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5/jwksRefreshMs']);
  });

  it('refuses HS* with a JWKS URL or without an oct key, and an oct key without HS*', () => {
    expect(problemsOf(withJwt({ algorithms: ['HS256'], jwksUrl: 'https://x.example/jwks' })).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5/jwksUrl']);
    expect(problemsOf(withJwt({ algorithms: ['HS512'], jwks: { keys: [EC_PUBLIC_JWK] } })).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5/jwks']);
    expect(problemsOf(withJwt({ jwks: { keys: [EC_PUBLIC_JWK, OCT_JWK] } })).map((p) => p.pointer)).toEqual(['/routes/3/plugins/5/jwks/keys/1']);
    expect(problemsOf(withJwt({ algorithms: ['HS256'], jwks: { keys: [{ kty: 'oct', k: 'short' }] } })).map((p) => p.pointer)).toEqual([
      '/routes/3/plugins/5/jwks/keys/0',
    ]);
  });

  it('refuses private keys, unknown key types, broken keys and a claim header used twice', () => {
    const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const broken = { ...EC_PUBLIC_JWK, x: 'AAAA' };
    const config = withJwt({
      jwks: { keys: [privateJwk, { kty: 'DSA' }, broken, EC_PUBLIC_JWK] },
      forwardClaims: [{ claim: 'sub', header: 'X-Sub' }, { claim: 'email', header: 'x-sub' }],
    });
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/routes/3/plugins/5/forwardClaims/1/header',
      '/routes/3/plugins/5/jwks/keys/0',
      '/routes/3/plugins/5/jwks/keys/1',
      '/routes/3/plugins/5/jwks/keys/2',
    ]);
    expect(problems[1]?.message).toContain('private member "d"');
  });
});

describe('route limits and globalLimits', () => {
  it('needs unique rate-limit names, default names included', () => {
    const config = policyConfig();
    const rate = config.routes[3]!.limits!.rate!;
    rate[1]!.name = 'api-0';
    rate[2]!.name = 'whole';
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/limits/rate/1/name', message: 'duplicate rate limit name "api-0" in route "api" (first used at /routes/3/limits/rate/0)' },
      { pointer: '/routes/3/limits/rate/3/name', message: 'duplicate rate limit name "whole" in route "api" (first used at /routes/3/limits/rate/2)' },
    ]);
  });

  it('needs a jwt plugin for a claim key, and no name on clientAddress or route keys', () => {
    const config = policyConfig();
    config.routes[3]!.plugins = config.routes[3]!.plugins!.filter((p) => p.type !== 'jwt');
    config.routes[3]!.limits!.rate![3]!.key = { kind: 'route', name: 'x' } as never;
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/3/limits/rate/1/key', '/routes/3/limits/rate/3/key/name']);
  });

  it('needs globalLimits for a global limit, and a parseable Redis address', () => {
    const config = policyConfig();
    delete config.globalLimits;
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/limits/rate/1/scope', message: 'a "global" rate limit needs the top-level "globalLimits" section (its Redis server)' },
    ]);
    config.globalLimits = { redis: 'redis.internal:70000' };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/globalLimits/redis']);
  });

  it('allows plugins and limits on direct-response routes', () => {
    const config = policyConfig();
    config.routes[0]!.plugins = [{ type: 'apiKey', keys: [{ name: 'k', sha256: KEY_SHA256 }] }];
    config.routes[0]!.limits = { rate: [{ rate: 5 }], maxConcurrent: 1, maxBodyBytes: 0 };
    expect(validateConfig(config).ok).toBe(true);
  });
});
