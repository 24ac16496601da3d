import { parseEnvelope, signBundle, signPayload, encodePayload } from '@weir/bundle';
import nacl from 'tweetnacl';
import { contents, testKey } from './support/fixtures';

describe('signBundle', () => {
  const a = testKey('a', 1);
  const b = testKey('b', 2);

  it('signs the canonical payload bytes with every key, in order', () => {
    const signed = signBundle(contents(), [a, b]);
    expect(signed.payload).toEqual(encodePayload(contents()));
    expect(signed.signatures.map((s) => s.keyId)).toEqual(['a', 'b']);
    for (const [i, key] of [a, b].entries()) {
      expect(nacl.sign.detached.verify(signed.payload, signed.signatures[i]?.sig as Uint8Array, key.publicKey)).toBe(true);
    }
    const envelope = parseEnvelope(signed.bytes);
    expect(envelope.payload).toEqual(signed.payload);
    expect(envelope.payloadSha256).toBe(signed.payloadSha256);
  });

  it('is deterministic: the same contents and keys give the same file', () => {
    expect(signBundle(contents(), [a, b]).bytes).toEqual(signBundle(contents(), [a, b]).bytes);
    expect(signPayload(Buffer.from('x'), a)).toEqual(signPayload(Buffer.from('x'), a));
  });

  it('refuses no key, a repeated key id, and more keys than a bundle carries', () => {
    expect(() => signBundle(contents(), [])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
    expect(() => signBundle(contents(), [a, testKey('a', 3)])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
    const many = Array.from({ length: 17 }, (_, i) => testKey(`k${i}`, i + 1));
    expect(() => signBundle(contents(), many)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
  });

  it('refuses contents that would not verify', () => {
    expect(() => signBundle(contents({ revision: -1 }), [a])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_MALFORMED' }));
  });
});
