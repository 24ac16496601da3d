import { encodePrivateKeyFile, encodePublicKeyFile, generateSigningKey, parsePrivateKeyFile, parsePublicKeyFile, publicKeyOf, signingKeyFromSeed, trustedKey } from '@weir/bundle';
import { testKey } from './support/fixtures';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

describe('keys and key files', () => {
  it('round-trips a private and a public key file', () => {
    const key = testKey('release-2026', 9);
    const text = encodePrivateKeyFile(key);
    expect(JSON.parse(text)).toEqual({ format: 'weir-bundle-private-key/1', keyId: 'release-2026', seed: Buffer.alloc(32, 9).toString('base64') });
    expect(parsePrivateKeyFile(text)).toEqual(key);
    const pub = encodePublicKeyFile(publicKeyOf(key));
    expect(JSON.parse(pub)).toEqual({ format: 'weir-bundle-public-key/1', keyId: 'release-2026', publicKey: Buffer.from(key.publicKey).toString('base64') });
    expect(parsePublicKeyFile(pub)).toEqual({ keyId: 'release-2026', publicKey: key.publicKey });
  });

  it('generates keys from the injected random source, or the system one', () => {
    const fixed = generateSigningKey('k', (n) => Buffer.alloc(n, 5));
    expect(fixed).toEqual(signingKeyFromSeed('k', Buffer.alloc(32, 5)));
    const a = generateSigningKey('k');
    const b = generateSigningKey('k');
    expect(Buffer.from(a.seed).equals(Buffer.from(b.seed))).toBe(false);
    expect(a.publicKey).toHaveLength(32);
  });

  it('copies the seed it is given, so a caller wiping its buffer does not change the key', () => {
    const seed = Buffer.alloc(32, 1);
    const key = signingKeyFromSeed('k', seed);
    seed.fill(0);
    expect(key.seed).toEqual(new Uint8Array(32).fill(1));
  });

  it.each([
    ['a short seed', () => signingKeyFromSeed('k', Buffer.alloc(31))],
    ['a bad key id', () => signingKeyFromSeed('has space', Buffer.alloc(32))],
    ['an empty key id', () => trustedKey('', Buffer.alloc(32))],
    ['a 65-character key id', () => trustedKey('k'.repeat(65), Buffer.alloc(32))],
    ['a 33-byte public key', () => trustedKey('k', Buffer.alloc(33))],
    ['a public key file given as a private key', () => parsePrivateKeyFile(encodePublicKeyFile(publicKeyOf(testKey('k', 1))))],
    ['a private key file given as a public key', () => parsePublicKeyFile(encodePrivateKeyFile(testKey('k', 1)))],
    ['text that is not JSON', () => parsePublicKeyFile('ssh-ed25519 AAAA')],
    ['a JSON array', () => parsePublicKeyFile('[]')],
    ['an extra field', () => parsePublicKeyFile(JSON.stringify({ format: 'weir-bundle-public-key/1', keyId: 'k', publicKey: Buffer.alloc(32).toString('base64'), note: 'x' }))],
    ['a short public key', () => parsePublicKeyFile(JSON.stringify({ format: 'weir-bundle-public-key/1', keyId: 'k', publicKey: Buffer.alloc(16).toString('base64') }))],
    ['a key id that is a number', () => parsePublicKeyFile(JSON.stringify({ format: 'weir-bundle-public-key/1', keyId: 7, publicKey: Buffer.alloc(32).toString('base64') }))],
  ])('refuses %s with WEIR_ERR_BUNDLE_KEY_INVALID', (_what, fn) => {
    expect(code(fn)).toBe('WEIR_ERR_BUNDLE_KEY_INVALID');
  });
});
