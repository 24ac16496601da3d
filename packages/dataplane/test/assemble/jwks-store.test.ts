import { generateKeyPairSync, sign as signBytes, type KeyObject } from 'node:crypto';
import type { JwtPluginSpec } from '@weir/runtime';
import { JwksStore } from '../../src/assemble/index';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, makeSpec } from '../helpers/spec';

/**
 * JWKS key sets in a worker (issue 9): the primary sends each URL's set (`weir:jwks`), the data
 * plane keeps the last one per URL, and JWT plugins read it per verification, rebuilding their
 * keys only when the set's identity changes.
 */

type Jwks = { readonly keys: readonly Readonly<Record<string, unknown>>[] };

const URL_A = 'https://id.example.com/a/jwks.json';
const URL_B = 'https://id.example.com/b/jwks.json';

describe('JwksStore', () => {
  it('has nothing for a URL it was never given', () => {
    const store = new JwksStore();
    expect(store.get(URL_A)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('returns the very set last given per URL, and URLs do not share', () => {
    const store = new JwksStore();
    const one: Jwks = { keys: [{ kty: 'OKP', kid: '1' }] };
    const two: Jwks = { keys: [{ kty: 'OKP', kid: '2' }] };
    store.set(URL_A, one);
    store.set(URL_B, two);
    expect(store.get(URL_A)).toBe(one);
    expect(store.get(URL_B)).toBe(two);
    expect(store.get('https://id.example.com/c/jwks.json')).toBeNull();
    expect(store.size).toBe(2);
  });

  it('replaces the set on update: a new identity, even with equal content', () => {
    const store = new JwksStore();
    const first: Jwks = { keys: [{ kty: 'OKP', kid: '1' }] };
    const equal: Jwks = { keys: [{ kty: 'OKP', kid: '1' }] };
    store.set(URL_A, first);
    const read = store.get(URL_A);
    store.set(URL_A, equal);
    expect(store.get(URL_A)).toBe(equal);
    expect(store.get(URL_A)).not.toBe(read);
    expect(store.size).toBe(1);
  });
});

/** An Ed25519 signing key and its public JWK. */
interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function signingKey(kid: string): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}

/** A compact EdDSA JWT (RFC 7515 section 7.1, RFC 8037), with no `exp` (optional for Weir). */
function token(key: SigningKey, sub = 'user-7'): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })}.${part({ sub })}`;
  return `${input}.${signBytes(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
}

const JWT: JwtPluginSpec = {
  type: 'jwt',
  issuers: [],
  audiences: [],
  algorithms: ['EdDSA'],
  jwks: null,
  jwksUrl: URL_A,
  jwksRefreshMs: 300_000,
  clockSkewSeconds: 60,
  header: 'authorization',
  forwardClaims: [],
  stripToken: false,
};

describe('DataPlane.jwks', () => {
  let plane: TestPlane | null = null;
  const k1 = signingKey('k1');
  const k2 = signingKey('k2');

  afterEach(async () => {
    await plane?.close();
    plane = null;
  });

  async function status(port: number, key: SigningKey): Promise<number> {
    return (await send(port, { headers: { authorization: `Bearer ${token(key)}` } })).status;
  }

  it('lets a jwt plugin verify with the set last given for its URL, from the next request on', async () => {
    expect.assertions(6);
    plane = await startPlane(makeSpec({ routes: [directRoute('api', 200, 'ok', { plugins: [JWT] })] }));
    const port = plane.port;
    // No set fetched yet for the URL: every token is invalid.
    expect(await status(port, k1)).toBe(401);
    plane.plane.jwks(URL_A, { keys: [k1.jwk] });
    expect(await status(port, k1)).toBe(200);
    expect(await status(port, k2)).toBe(401);
    // A rotation: the plugin rebuilds its keys because the set is a new object.
    plane.plane.jwks(URL_A, { keys: [k2.jwk] });
    expect(await status(port, k2)).toBe(200);
    expect(await status(port, k1)).toBe(401);
    // Another URL's set does not reach this plugin.
    plane.plane.jwks(URL_B, { keys: [k1.jwk] });
    expect(await status(port, k1)).toBe(401);
  });

  it('keeps key sets across a reload: the store is shared by every runtime', async () => {
    expect.assertions(2);
    plane = await startPlane(makeSpec({ routes: [directRoute('api', 200, 'ok', { plugins: [JWT] })] }));
    plane.plane.jwks(URL_A, { keys: [k1.jwk] });
    // The same listener spec (port 0): the new runtime takes over the bound socket.
    await plane.plane.prepare(makeSpec({ routes: [directRoute('api', 200, 'v2', { plugins: [JWT] })] }));
    plane.plane.commit();
    const res = await send(plane.port, { headers: { authorization: `Bearer ${token(k1)}` } });
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe('v2');
  });
});
