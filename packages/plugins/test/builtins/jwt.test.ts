import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, base64url, type JWTPayload, type KeyLike } from 'jose';
import { createPublicKey, randomBytes } from 'node:crypto';
import { CONTINUE, PluginChain, type PluginOutcome } from '../../src/index';
import { bearerToken, JwtPlugin } from '../../src/builtins/index';
import { TestJwksSource, TestRequest, testDeps } from '../support/test-request';

/** The injected wall clock: 2026-01-01T00:00:00Z. */
const NOW_MS = Date.UTC(2026, 0, 1);
const NOW = NOW_MS / 1000;
const ISSUER = 'https://id.example.com';
const AUDIENCE = 'api://orders';
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

const MISSING = { status: 401, body: '', code: 'WEIR_ERR_UNAUTHORIZED', headers: ['www-authenticate', 'Bearer realm="weir"'] };
const INVALID = { status: 401, body: '', code: 'WEIR_ERR_UNAUTHORIZED', headers: ['www-authenticate', 'Bearer realm="weir", error="invalid_token"'] };

interface SigningKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: KeyLike | Uint8Array;
  readonly jwk: Record<string, unknown>;
}

const keys: Record<string, SigningKey> = {};

async function asymmetric(alg: string, kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk: Record<string, unknown> = { ...(await exportJWK(pair.publicKey)), kid, use: 'sig' };
  return { alg, kid, privateKey: pair.privateKey, jwk };
}

beforeAll(async () => {
  for (const [alg, kid] of [['RS256', 'rsa-1'], ['PS256', 'ps-1'], ['ES256', 'ec-1'], ['EdDSA', 'ed-1'], ['ES256', 'ec-2']] as const) {
    keys[kid] = await asymmetric(alg, kid);
  }
  const secret = randomBytes(32);
  keys['hs-1'] = { alg: 'HS256', kid: 'hs-1', privateKey: secret, jwk: { kty: 'oct', k: base64url.encode(secret), kid: 'hs-1' } };
});

function sign(key: SigningKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'user-7', iss: ISSUER, aud: AUDIENCE, iat: NOW, exp: NOW + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

type Spec = ConstructorParameters<typeof JwtPlugin>[0];
function spec(overrides: Partial<Spec> = {}): Spec {
  return {
    type: 'jwt',
    issuers: [ISSUER],
    audiences: [AUDIENCE],
    algorithms: ASYMMETRIC,
    jwks: { keys: ['rsa-1', 'ps-1', 'ec-1', 'ed-1'].map((kid) => keys[kid]!.jwk) },
    jwksUrl: null,
    jwksRefreshMs: 300_000,
    clockSkewSeconds: 60,
    header: 'authorization',
    forwardClaims: [],
    stripToken: false,
    ...overrides,
  };
}

function bearer(token: string): TestRequest {
  return new TestRequest({ headers: ['Authorization', `Bearer ${token}`] });
}

async function outcome(plugin: JwtPlugin, req: TestRequest): Promise<PluginOutcome> {
  return plugin.onRequest(req);
}

describe('jwt: valid tokens', () => {
  it.each(['rsa-1', 'ps-1', 'ec-1', 'ed-1'])('accepts a token signed with %s, setting claims and principal', async (kid) => {
    expect.assertions(3);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    const req = bearer(await sign(keys[kid]!, { scope: 'read' }));
    expect(await outcome(plugin, req)).toBe(CONTINUE);
    expect(req.claims).toMatchObject({ sub: 'user-7', scope: 'read', iss: ISSUER });
    expect(req.principal).toBe('user-7');
  });

  it('accepts HS256 with an oct key only when HS256 is listed', async () => {
    expect.assertions(2);
    const token = await sign(keys['hs-1']!);
    const withHs = new JwtPlugin(spec({ algorithms: ['HS256'], jwks: { keys: [keys['hs-1']!.jwk] } }), testDeps(() => NOW_MS));
    expect(await outcome(withHs, bearer(token))).toBe(CONTINUE);
    const withoutHs = new JwtPlugin(spec({ jwks: { keys: [keys['hs-1']!.jwk, keys['rsa-1']!.jwk] } }), testDeps(() => NOW_MS));
    expect(await outcome(withoutHs, bearer(token))).toEqual(INVALID);
  });

  it('accepts any issuer and audience when none are configured, and a principal only from a string sub', async () => {
    expect.assertions(2);
    const plugin = new JwtPlugin(spec({ issuers: [], audiences: [] }), testDeps(() => NOW_MS));
    const req = bearer(await sign(keys['ec-1']!, { iss: 'other', aud: 'other', sub: undefined }));
    expect(await outcome(plugin, req)).toBe(CONTINUE);
    expect(req.principal).toBeNull();
  });

  it('tries every matching key when the token has no kid', async () => {
    expect.assertions(2);
    const noKid = (k: SigningKey): Record<string, unknown> => ({ ...k.jwk, kid: undefined });
    const plugin = new JwtPlugin(spec({ jwks: { keys: [noKid(keys['ec-1']!), noKid(keys['ec-2']!)] } }), testDeps(() => NOW_MS));
    const token = await new SignJWT({ sub: 's', iss: ISSUER, aud: AUDIENCE, exp: NOW + 60 }).setProtectedHeader({ alg: 'ES256' }).sign(keys['ec-2']!.privateKey);
    expect(await outcome(plugin, bearer(token))).toBe(CONTINUE);
    const stranger = await asymmetric('ES256', 'x');
    const forged = await new SignJWT({ sub: 's', iss: ISSUER, aud: AUDIENCE }).setProtectedHeader({ alg: 'ES256' }).sign(stranger.privateKey);
    expect(await outcome(plugin, bearer(forged))).toEqual(INVALID);
  });

  it('tries every matching HS secret when the token has no kid', async () => {
    expect.assertions(1);
    const other = { kty: 'oct', k: base64url.encode(randomBytes(32)) };
    const hs = { kty: 'oct', k: keys['hs-1']!.jwk['k'] };
    const plugin = new JwtPlugin(spec({ algorithms: ['HS256'], jwks: { keys: [other, hs] } }), testDeps(() => NOW_MS));
    const token = await new SignJWT({ iss: ISSUER, aud: AUDIENCE }).setProtectedHeader({ alg: 'HS256' }).sign(keys['hs-1']!.privateKey);
    expect(await outcome(plugin, bearer(token))).toBe(CONTINUE);
  });
});

describe('jwt: refusals', () => {
  it('answers a request without a token with a challenge and no error code, synchronously', () => {
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    expect(plugin.onRequest(new TestRequest())).toEqual(MISSING);
    expect(plugin.onRequest(new TestRequest({ headers: ['authorization', 'Basic dTpw'] }))).toEqual(MISSING);
    expect(plugin.onRequest(new TestRequest({ headers: ['authorization', 'Bearer    '] }))).toEqual(MISSING);
  });

  it.each([
    ['expired beyond the skew', { exp: NOW - 61 }],
    ['not yet valid beyond the skew', { nbf: NOW + 61 }],
    ['wrong issuer', { iss: 'https://evil.example' }],
    ['wrong audience', { aud: 'api://other' }],
    ['no audience', { aud: undefined }],
  ])('refuses a token: %s', async (_name, claims) => {
    expect.assertions(1);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    expect(await outcome(plugin, bearer(await sign(keys['rsa-1']!, claims)))).toEqual(INVALID);
  });

  it('tolerates clock skew within clockSkewSeconds, by the injected clock', async () => {
    expect.assertions(4);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    expect(await outcome(plugin, bearer(await sign(keys['ec-1']!, { exp: NOW - 59 })))).toBe(CONTINUE);
    expect(await outcome(plugin, bearer(await sign(keys['ec-1']!, { nbf: NOW + 59 })))).toBe(CONTINUE);
    let now = NOW_MS;
    const moving = new JwtPlugin(spec({ clockSkewSeconds: 0 }), testDeps(() => now));
    const token = await sign(keys['ec-1']!, { exp: NOW + 10 });
    expect(await outcome(moving, bearer(token))).toBe(CONTINUE);
    now += 11_000;
    expect(await outcome(moving, bearer(token))).toEqual(INVALID);
  });

  it('accepts one of several issuers and audiences', async () => {
    expect.assertions(1);
    const plugin = new JwtPlugin(spec({ issuers: ['a', ISSUER], audiences: ['x', 'y'] }), testDeps(() => NOW_MS));
    expect(await outcome(plugin, bearer(await sign(keys['ec-1']!, { aud: ['z', 'y'] })))).toBe(CONTINUE);
  });

  it('refuses an algorithm outside the allow-list', async () => {
    expect.assertions(1);
    const plugin = new JwtPlugin(spec({ algorithms: ['ES256'] }), testDeps(() => NOW_MS));
    expect(await outcome(plugin, bearer(await sign(keys['rsa-1']!)))).toEqual(INVALID);
  });

  it('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    expect.assertions(1);
    const pem = createPublicKey({ key: keys['rsa-1']!.jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const token = await new SignJWT({ iss: ISSUER, aud: AUDIENCE }).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(Buffer.from(pem));
    const plugin = new JwtPlugin(spec({ algorithms: ['HS256', 'RS256'] }), testDeps(() => NOW_MS));
    expect(await outcome(plugin, bearer(token))).toEqual(INVALID);
  });

  it('refuses alg "none"', async () => {
    expect.assertions(1);
    const token = new UnsecuredJWT({ sub: 'x', iss: ISSUER, aud: AUDIENCE }).encode();
    expect(await outcome(new JwtPlugin(spec(), testDeps(() => NOW_MS)), bearer(token))).toEqual(INVALID);
  });

  it('refuses an unknown kid', async () => {
    expect.assertions(1);
    const token = await sign(keys['ec-1']!, {}, { kid: 'ec-unknown' });
    expect(await outcome(new JwtPlugin(spec(), testDeps(() => NOW_MS)), bearer(token))).toEqual(INVALID);
  });

  it('refuses a tampered signature, a tampered payload and garbage', async () => {
    expect.assertions(3);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    const [h, p, s] = (await sign(keys['ed-1']!)).split('.') as [string, string, string];
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(await outcome(plugin, bearer(`${h}.${p}.${flipped}`))).toEqual(INVALID);
    const payload = base64url.encode(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE }));
    expect(await outcome(plugin, bearer(`${h}.${payload}.${s}`))).toEqual(INVALID);
    expect(await outcome(plugin, bearer('not.a.jwt'))).toEqual(INVALID);
  });

  it('never quotes the token in the reply', async () => {
    expect.assertions(1);
    const token = await sign(keys['rsa-1']!, { exp: NOW - 3600 });
    expect(JSON.stringify(await outcome(new JwtPlugin(spec(), testDeps(() => NOW_MS)), bearer(token)))).not.toContain(token.slice(0, 20));
  });

  it('rejects (the exchange answers 500) when something other than jose fails', async () => {
    expect.assertions(1);
    const plugin = new JwtPlugin(spec(), testDeps(() => { throw new Error('clock broken'); }));
    const chain = new PluginChain([plugin]);
    await expect(chain.runRequest(bearer(await sign(keys['rsa-1']!)))).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
  });
});

describe('jwt: token placement', () => {
  it('reads another header whole, forwards claims, strips the token', async () => {
    expect.assertions(3);
    const plugin = new JwtPlugin(
      spec({
        header: 'X-Token',
        stripToken: true,
        forwardClaims: [
          { claim: 'sub', header: 'x-user' },
          { claim: 'tier', header: 'x-tier' },
          { claim: 'admin', header: 'x-admin' },
          { claim: 'roles', header: 'x-roles' },
          { claim: 'missing', header: 'x-missing' },
          { claim: 'evil', header: 'x-evil' },
        ],
      }),
      testDeps(() => NOW_MS),
    );
    const token = await sign(keys['ec-1']!, { tier: 3, admin: false, roles: ['a'], evil: 'a\r\nx-injected: 1' });
    const req = new TestRequest({ headers: ['x-token', ` ${token} `, 'X-Missing', 'spoofed', 'x-user', 'spoofed', 'accept', '*/*'] });
    expect(await outcome(plugin, req)).toBe(CONTINUE);
    expect(req.headers).toEqual(['x-user', 'user-7', 'accept', '*/*', 'x-tier', '3', 'x-admin', 'false']);
    expect(req.claims?.['roles']).toEqual(['a']);
  });

  it('keeps the token without stripToken; reads Bearer in any case', async () => {
    expect.assertions(2);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    const token = await sign(keys['rsa-1']!);
    const req = new TestRequest({ headers: ['authorization', `bearer ${token}`] });
    expect(await outcome(plugin, req)).toBe(CONTINUE);
    expect(req.headers).toEqual(['authorization', `bearer ${token}`]);
  });

  it('parses bearer values', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
    expect(bearerToken('Bearerabc')).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
  });
});

describe('jwt: keys from a JWKS URL', () => {
  const URL = 'https://id.example.com/.well-known/jwks.json';

  it('is invalid until keys are fetched, then follows the source as it switches keys', async () => {
    expect.assertions(7);
    const source = new TestJwksSource();
    const plugin = new JwtPlugin(spec({ jwks: null, jwksUrl: URL }), testDeps(() => NOW_MS, source));
    const tokenA = await sign(keys['rsa-1']!);
    const tokenB = await sign(keys['ec-2']!);
    expect(await outcome(plugin, bearer(tokenA))).toEqual(INVALID);

    source.sets.set(URL, { keys: [keys['rsa-1']!.jwk] });
    expect(await outcome(plugin, bearer(tokenA))).toBe(CONTINUE);
    const built = (plugin as unknown as { lastKeys: unknown }).lastKeys;
    expect(await outcome(plugin, bearer(tokenB))).toEqual(INVALID);
    expect((plugin as unknown as { lastKeys: unknown }).lastKeys).toBe(built);

    source.sets.set(URL, { keys: [keys['ec-2']!.jwk] });
    expect(await outcome(plugin, bearer(tokenB))).toBe(CONTINUE);
    expect(await outcome(plugin, bearer(tokenA))).toEqual(INVALID);
    expect((plugin as unknown as { lastKeys: unknown }).lastKeys).not.toBe(built);
  });

  it('treats a malformed set from the source as no keys', async () => {
    expect.assertions(1);
    const source = new TestJwksSource();
    source.sets.set(URL, { keys: ['not a key' as unknown as Record<string, unknown>] });
    const plugin = new JwtPlugin(spec({ jwks: null, jwksUrl: URL }), testDeps(() => NOW_MS, source));
    expect(await outcome(plugin, bearer(await sign(keys['rsa-1']!)))).toEqual(INVALID);
  });
});

describe('jwt: HS secret selection', () => {
  it('picks oct keys by kid, alg, use and key_ops', async () => {
    expect.assertions(5);
    const hs = keys['hs-1']!;
    const token = await sign(hs);
    const check = async (jwk: Record<string, unknown>): Promise<PluginOutcome> =>
      outcome(new JwtPlugin(spec({ algorithms: ['HS256'], jwks: { keys: [jwk] } }), testDeps(() => NOW_MS)), bearer(token));
    expect(await check({ ...hs.jwk, alg: 'HS256', use: 'sig', key_ops: ['verify'] })).toBe(CONTINUE);
    expect(await check({ ...hs.jwk, kid: 'other' })).toEqual(INVALID);
    expect(await check({ ...hs.jwk, alg: 'HS512' })).toEqual(INVALID);
    expect(await check({ ...hs.jwk, use: 'enc' })).toEqual(INVALID);
    expect(await check({ ...hs.jwk, key_ops: ['sign'] })).toEqual(INVALID);
  });
});

describe('jwt: verified-token cache', () => {
  it('answers a token it verified before synchronously, with the same claims', async () => {
    expect.assertions(4);
    const plugin = new JwtPlugin(spec(), testDeps(() => NOW_MS));
    const token = await sign(keys['rsa-1']!, { scope: 'read' });
    expect(await outcome(plugin, bearer(token))).toBe(CONTINUE);
    const again = bearer(token);
    const sync = plugin.onRequest(again);
    expect(sync).toBe(CONTINUE);
    expect(again.claims).toMatchObject({ scope: 'read' });
    expect(again.principal).toBe('user-7');
  });

  it('refuses a cached token once it expired (clock skew included)', async () => {
    expect.assertions(2);
    let now = NOW_MS;
    const plugin = new JwtPlugin(spec(), testDeps(() => now));
    const token = await sign(keys['rsa-1']!, { exp: NOW + 10 });
    expect(await outcome(plugin, bearer(token))).toBe(CONTINUE);
    now = NOW_MS + 71_000;
    expect(await outcome(plugin, bearer(token))).toEqual(INVALID);
  });

  it('verifies again after a key rotation: a removed key no longer passes', async () => {
    expect.assertions(2);
    const source = new TestJwksSource();
    const url = 'https://id.example.com/jwks';
    source.sets.set(url, { keys: [keys['rsa-1']!.jwk] });
    const plugin = new JwtPlugin(spec({ jwks: null, jwksUrl: url }), testDeps(() => NOW_MS, source));
    const token = await sign(keys['rsa-1']!);
    expect(await outcome(plugin, bearer(token))).toBe(CONTINUE);
    source.sets.set(url, { keys: [keys['ec-1']!.jwk] });
    expect(await outcome(plugin, bearer(token))).toEqual(INVALID);
  });
});
