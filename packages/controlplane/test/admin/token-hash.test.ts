import { TOKEN_HASH_PATTERN, TokenVerifier, bearerToken, generateToken, hashToken, parseScopes, parseTokenHash, tokenDigest } from '../../src/admin/index';
import { configSchema } from '@weir/config';

describe('admin tokens', () => {
  it('generates 256-bit tokens with a recognisable prefix', () => {
    const a = generateToken();
    expect(a).toMatch(/^weir_[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
  });

  it('hashes with a fresh salt each time, in the form the config schema accepts', () => {
    const token = generateToken();
    const one = hashToken(token);
    const two = hashToken(token);
    expect(one).not.toBe(two);
    const defs = configSchema['$defs'] as Record<string, { properties: { hash: { pattern: string } } }>;
    expect(one).toMatch(new RegExp(defs['adminToken']!.properties.hash.pattern));
    expect(one).toMatch(TOKEN_HASH_PATTERN);
    const parsed = parseTokenHash(one);
    expect(parsed?.digest.equals(tokenDigest(parsed.salt, token))).toBe(true);
    expect(hashToken('t', 'saltsaltsaltsalt')).toBe(`sha256$saltsaltsaltsalt$${tokenDigest('saltsaltsaltsalt', 't').toString('hex')}`);
    expect(parseTokenHash('plain')).toBeNull();
  });

  it('verifies tokens against their hashes and returns the principal', () => {
    const a = generateToken();
    const b = generateToken();
    const verifier = new TokenVerifier([
      { name: 'a', hash: hashToken(a), scopes: ['read'] },
      { name: 'b', hash: hashToken(b), scopes: ['write', 'rollout'] },
      { name: 'broken', hash: 'not-a-hash', scopes: ['admin'] },
    ]);
    expect(verifier.size).toBe(2);
    expect(verifier.verify(a)).toEqual({ name: 'a', scopes: ['read'] });
    expect(verifier.verify(b)).toEqual({ name: 'b', scopes: ['write', 'rollout'] });
    expect(verifier.verify(a + 'x')).toBeNull();
    expect(verifier.verify('')).toBeNull();
    expect(verifier.verify('x'.repeat(600))).toBeNull();
    expect(new TokenVerifier([]).verify(a)).toBeNull();
  });

  it('reads bearer tokens from the Authorization header', () => {
    expect(bearerToken('Bearer abc.def_~+/=')).toBe('abc.def_~+/=');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
  });

  it('parses --scopes lists', () => {
    expect(parseScopes('read,write')).toEqual(['read', 'write']);
    expect(parseScopes(' admin , admin ')).toEqual(['admin']);
    expect(parseScopes('read,root')).toBeNull();
    expect(parseScopes(',')).toBeNull();
  });
});
