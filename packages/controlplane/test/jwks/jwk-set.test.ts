import { parseJwkSet } from '../../src/jwks/index';

describe('parseJwkSet', () => {
  it('accepts a JWK Set and keeps only keys, frozen', () => {
    const parsed = parseJwkSet(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }, { kty: 'oct', k: 'c' }], other: 1 }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.jwks).toEqual({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }, { kty: 'oct', k: 'c' }] });
    expect(Object.isFrozen(parsed.jwks)).toBe(true);
    expect(Object.isFrozen(parsed.jwks.keys)).toBe(true);
    expect(Object.isFrozen(parsed.jwks.keys[0])).toBe(true);
  });

  it.each([
    ['not JSON', '{"keys": ['],
    ['empty', ''],
    ['an array', '[{"kty":"EC"}]'],
    ['null', 'null'],
    ['a string', '"keys"'],
    ['no keys', '{}'],
    ['keys not an array', '{"keys": {"kty": "EC"}}'],
    ['keys empty', '{"keys": []}'],
    ['a key that is not an object', '{"keys": ["EC"]}'],
    ['a key that is null', '{"keys": [null]}'],
    ['a key that is an array', '{"keys": [["kty"]]}'],
    ['a key without kty', '{"keys": [{"kty": "EC"}, {"crv": "P-256"}]}'],
    ['a key with a number kty', '{"keys": [{"kty": 1}]}'],
    ['a key with an empty kty', '{"keys": [{"kty": ""}]}'],
  ])('refuses %s', (_name, text) => {
    const parsed = parseJwkSet(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toEqual(expect.any(String));
  });
});
