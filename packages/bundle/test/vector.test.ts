/**
 * The committed test vector (test/vectors/weir-bundle-1.json, also printed in
 * apps/weir/docs/bundles.md): fixed keys (the RFC 8032 section 7.1 TEST 1 and TEST 2 seeds), a
 * payload, its signatures and the whole bundle file. It pins the format: if signing the same
 * contents with the same seeds ever gives other bytes, bundles made by other implementations (or
 * older Weirs) would stop verifying, and this fails first.
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BundleVerifier, encodePrivateKeyFile, encodePublicKeyFile, parsePrivateKeyFile, parsePublicKeyFile, publicKeyOf, signBundle, signingKeyFromSeed } from '@weir/bundle';

interface Vector {
  readonly keys: readonly { keyId: string; seedHex: string; publicKeyHex: string; privateKeyFile: string; publicKeyFile: string }[];
  readonly contents: { revision: number; createdAt: string; expiresAt: string; labels: Record<string, string>; config: Record<string, unknown> };
  readonly payload: string;
  readonly payloadSha256: string;
  readonly signatures: readonly { keyId: string; sigHex: string }[];
  readonly bundle: string;
}

const vectorFile = path.resolve(__dirname, 'vectors', 'weir-bundle-1.json');
const vector = JSON.parse(fs.readFileSync(vectorFile, 'utf8')) as Vector;
const keys = vector.keys.map((k) => signingKeyFromSeed(k.keyId, Buffer.from(k.seedHex, 'hex')));
const bundle = Buffer.from(vector.bundle, 'utf8');

describe('test vector weir-bundle-1', () => {
  it('uses the RFC 8032 test keys', () => {
    expect(vector.keys.map((k) => k.publicKeyHex)).toEqual([
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    ]);
    expect(keys.map((k) => Buffer.from(k.publicKey).toString('hex'))).toEqual(vector.keys.map((k) => k.publicKeyHex));
  });

  it('verifies with both public keys and threshold 2', () => {
    const verifier = new BundleVerifier({ keys: keys.map(publicKeyOf), threshold: 2 });
    const check = verifier.verify(bundle, { now: Date.parse('2026-12-06T18:00:00.000Z'), currentRevision: 6 });
    expect(check.ok && check.bundle).toEqual(
      expect.objectContaining({
        metadata: { revision: 7, createdAt: vector.contents.createdAt, expiresAt: vector.contents.expiresAt, labels: { env: 'prod', region: 'eu-west' } },
        config: vector.contents.config,
        payloadSha256: vector.payloadSha256,
        signedBy: ['vector-key-1', 'vector-key-2'],
      }),
    );
    expect(check.ok && check.bundle.payload.toString('utf8')).toBe(vector.payload);
  });

  it('is reproduced byte for byte by signing the same contents with the same seeds (ed25519 is deterministic)', () => {
    const c = vector.contents;
    const signed = signBundle({ config: c.config, revision: c.revision, createdAt: Date.parse(c.createdAt), expiresAt: Date.parse(c.expiresAt), labels: c.labels }, keys);
    expect(signed.payload.toString('utf8')).toBe(vector.payload);
    expect(signed.payloadSha256).toBe(vector.payloadSha256);
    expect(signed.signatures.map((s) => ({ keyId: s.keyId, sigHex: Buffer.from(s.sig).toString('hex') }))).toEqual(vector.signatures);
    expect(signed.bytes.toString('utf8')).toBe(vector.bundle);
  });

  it('has signatures that an independent ed25519 implementation (node:crypto) accepts', () => {
    const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
    for (const [i, key] of vector.keys.entries()) {
      const publicKey = createPublicKey({ key: Buffer.concat([spkiPrefix, Buffer.from(key.publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
      expect(cryptoVerify(null, Buffer.from(vector.payload, 'utf8'), publicKey, Buffer.from(vector.signatures[i]?.sigHex ?? '', 'hex'))).toBe(true);
    }
  });

  it('has key files that parse to its keys and are written the same way', () => {
    for (const [i, k] of vector.keys.entries()) {
      expect(parsePrivateKeyFile(k.privateKeyFile)).toEqual(keys[i]);
      expect(parsePublicKeyFile(k.publicKeyFile)).toEqual(publicKeyOf(keys[i]!));
      expect(encodePrivateKeyFile(keys[i]!)).toBe(k.privateKeyFile);
      expect(encodePublicKeyFile(publicKeyOf(keys[i]!))).toBe(k.publicKeyFile);
    }
  });

  it('is printed in apps/weir/docs/bundles.md exactly', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'apps', 'weir', 'docs', 'bundles.md'), 'utf8');
    expect(doc).toContain(vector.bundle);
    expect(doc).toContain(vector.payload);
    for (const k of vector.keys) {
      expect(doc).toContain(k.seedHex);
      expect(doc).toContain(k.publicKeyHex);
    }
    for (const s of vector.signatures) expect(doc).toContain(s.sigHex);
  });
});
