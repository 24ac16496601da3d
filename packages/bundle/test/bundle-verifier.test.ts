import { createHash } from 'node:crypto';
import { BUNDLE_REJECTION_CODES, BundleVerifier, encodeBase64, sha256Hex, signBundle, signPayload, type BundleCheck } from '@weir/bundle';
import { WeirError } from '@weir/errors';
import { CONFIG, CREATED, HOUR, asJson, bundleBytes, contents, testKey, toBytes, trusted } from './support/fixtures';

const a = testKey('ops-a', 1);
const b = testKey('ops-b', 2);
const c = testKey('ops-c', 3);
const stranger = testKey('stranger', 4);
const NOW = CREATED + HOUR;

/** The rejection code of a check, or "ok". */
function outcome(check: BundleCheck): string {
  return check.ok ? 'ok' : check.error.code;
}

/** A config validator standing in for @weir/config's: a config needs listeners. */
function validate(config: unknown): { ok: true } | { ok: false; error: Error } {
  if (Array.isArray((config as { listeners?: unknown }).listeners)) return { ok: true };
  return { ok: false, error: new WeirError('WEIR_ERR_CONFIG_INVALID', 'invalid config (1 problem)', { details: [{ pointer: '/listeners', message: 'is required' }] }) };
}

describe('BundleVerifier', () => {
  it('accepts a bundle signed by a trusted key and returns the config parsed from the signed bytes', () => {
    const verifier = new BundleVerifier({ keys: trusted(a) });
    const signed = signBundle(contents({ labels: { env: 'prod' }, expiresAt: CREATED + 2 * HOUR }), [a]);
    const check = verifier.verify(signed.bytes, { now: NOW, currentRevision: 4, validateConfig: validate });
    expect(check).toEqual({
      ok: true,
      bundle: {
        metadata: { revision: 5, createdAt: '2026-12-06T17:00:00.000Z', expiresAt: '2026-12-06T19:00:00.000Z', labels: { env: 'prod' } },
        config: CONFIG,
        payload: signed.payload,
        payloadSha256: signed.payloadSha256,
        signedBy: ['ops-a'],
        ignoredSignatures: [],
      },
    });
  });

  describe('rejects, with one code per reason', () => {
    const verifier = new BundleVerifier({ keys: trusted(a, b), threshold: 1 });
    const verify = (bytes: Buffer, current: number | null = 4): string => outcome(verifier.verify(bytes, { now: NOW, currentRevision: current, validateConfig: validate }));

    it('a malformed file', () => {
      expect(verify(Buffer.from('not a bundle'))).toBe('WEIR_ERR_BUNDLE_MALFORMED');
      expect(verify(Buffer.from('{}'))).toBe('WEIR_ERR_BUNDLE_MALFORMED');
    });

    it('a correctly signed payload of the wrong shape (a signer bug): malformed, with its pointer', () => {
      const bundle = asJson(bundleBytes([a]));
      const payload = Buffer.from(JSON.stringify({ format: 'weir-bundle-payload/1', revision: 'five', createdAt: '2026-12-06T17:00:00Z', config: {} }));
      const { bytes } = signBundleOver(payload, bundle);
      const check = verifier.verify(bytes, { now: NOW });
      expect(check.ok ? null : [check.error.code, check.error.pointer]).toEqual(['WEIR_ERR_BUNDLE_MALFORMED', '/revision']);
    });

    it('a tampered payload (changed after signing; the digest no longer matches)', () => {
      const bundle = asJson(bundleBytes([a]));
      const payload = Buffer.from(bundle['payload'], 'base64').toString('utf8').replace('"revision":5', '"revision":9');
      bundle['payload'] = Buffer.from(payload).toString('base64');
      expect(verify(toBytes(bundle))).toBe('WEIR_ERR_BUNDLE_TAMPERED');
    });

    it('a tampered payload whose digest was updated too: the signature no longer verifies', () => {
      const bundle = asJson(bundleBytes([a]));
      const payload = Buffer.from(Buffer.from(bundle['payload'], 'base64').toString('utf8').replace('"revision":5', '"revision":9'));
      bundle['payload'] = payload.toString('base64');
      bundle['payloadSha256'] = createHash('sha256').update(payload).digest('hex');
      expect(verify(toBytes(bundle))).toBe('WEIR_ERR_BUNDLE_BAD_SIGNATURE');
    });

    it('an unknown key id', () => {
      expect(verify(bundleBytes([stranger]))).toBe('WEIR_ERR_BUNDLE_UNKNOWN_KEY');
    });

    it('a bad signature: a flipped bit, or another key signing under a trusted id', () => {
      const bundle = asJson(bundleBytes([a]));
      const sig = Buffer.from(bundle['signatures'][0].sig, 'base64');
      sig[10] = (sig[10] as number) ^ 1;
      bundle['signatures'][0].sig = sig.toString('base64');
      expect(verify(toBytes(bundle))).toBe('WEIR_ERR_BUNDLE_BAD_SIGNATURE');
      expect(verify(bundleBytes([testKey('ops-a', 99)]))).toBe('WEIR_ERR_BUNDLE_BAD_SIGNATURE');
    });

    it('an expired bundle, by the injected clock', () => {
      const bytes = bundleBytes([a], { expiresAt: CREATED + HOUR });
      expect(outcome(verifier.verify(bytes, { now: CREATED + HOUR - 1 }))).toBe('ok');
      expect(outcome(verifier.verify(bytes, { now: CREATED + HOUR }))).toBe('WEIR_ERR_BUNDLE_EXPIRED');
      expect(outcome(verifier.verify(bytes, { now: CREATED + 100 * HOUR }))).toBe('WEIR_ERR_BUNDLE_EXPIRED');
      expect(outcome(verifier.verify(bundleBytes([a]), { now: CREATED + 1e12 }))).toBe('ok');
    });

    it('a revision not newer than the current one: replay and rollback', () => {
      expect(verify(bundleBytes([a], { revision: 5 }), 5)).toBe('WEIR_ERR_BUNDLE_REVISION');
      expect(verify(bundleBytes([a], { revision: 3 }), 5)).toBe('WEIR_ERR_BUNDLE_REVISION');
      expect(verify(bundleBytes([a], { revision: 6 }), 5)).toBe('ok');
      expect(verify(bundleBytes([a], { revision: 1 }), null)).toBe('ok');
    });

    it('a config that fails validation, with the validator error as cause and its details', () => {
      const check = verifier.verify(bundleBytes([a], { config: { routes: [] } }), { now: NOW, validateConfig: validate });
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.error.code).toBe('WEIR_ERR_BUNDLE_CONFIG_INVALID');
      expect(check.error.details).toEqual([{ pointer: '/listeners', message: 'is required' }]);
      expect((check.error.cause as WeirError).code).toBe('WEIR_ERR_CONFIG_INVALID');
      expect(outcome(verifier.verify(bundleBytes([a], { config: { routes: [] } }), { now: NOW }))).toBe('ok');
      const plain = verifier.verify(bundleBytes([a], { config: {} }), { now: NOW, validateConfig: () => ({ ok: false, error: new Error('nope') }) });
      expect(plain.ok ? null : [plain.error.code, plain.error.details]).toEqual(['WEIR_ERR_BUNDLE_CONFIG_INVALID', undefined]);
    });

    it('checks in the documented order: signatures before metadata, metadata before the config', () => {
      // Expired, replayed and invalid, but signed by a stranger: the signature decides.
      const everythingWrong = bundleBytes([stranger], { revision: 1, expiresAt: CREATED + 1, config: {} });
      expect(verify(everythingWrong, 9)).toBe('WEIR_ERR_BUNDLE_UNKNOWN_KEY');
      const signedButWrong = bundleBytes([a], { revision: 1, expiresAt: CREATED + 1, config: {} });
      expect(verify(signedButWrong, 9)).toBe('WEIR_ERR_BUNDLE_EXPIRED');
      expect(verify(bundleBytes([a], { revision: 1, config: {} }), 9)).toBe('WEIR_ERR_BUNDLE_REVISION');
      expect(verify(bundleBytes([a], { revision: 10, config: {} }), 9)).toBe('WEIR_ERR_BUNDLE_CONFIG_INVALID');
    });

    it('lists the rejection codes in that order', () => {
      expect(BUNDLE_REJECTION_CODES).toEqual([
        'WEIR_ERR_BUNDLE_MALFORMED',
        'WEIR_ERR_BUNDLE_TAMPERED',
        'WEIR_ERR_BUNDLE_UNKNOWN_KEY',
        'WEIR_ERR_BUNDLE_BAD_SIGNATURE',
        'WEIR_ERR_BUNDLE_THRESHOLD',
        'WEIR_ERR_BUNDLE_EXPIRED',
        'WEIR_ERR_BUNDLE_REVISION',
        'WEIR_ERR_BUNDLE_CONFIG_INVALID',
      ]);
    });
  });

  describe('thresholds (k of n)', () => {
    const verifier = new BundleVerifier({ keys: trusted(a, b, c), threshold: 2 });
    const verify = (bytes: Buffer): BundleCheck => verifier.verify(bytes, { now: NOW });

    it('accepts k valid signatures by distinct trusted keys', () => {
      const check = verify(bundleBytes([a, c]));
      expect(check.ok && check.bundle.signedBy).toEqual(['ops-a', 'ops-c']);
      expect(outcome(verify(bundleBytes([a, b, c])))).toBe('ok');
    });

    it('rejects fewer: THRESHOLD when the trusted ones are good but too few', () => {
      expect(outcome(verify(bundleBytes([a])))).toBe('WEIR_ERR_BUNDLE_THRESHOLD');
      expect(outcome(verify(bundleBytes([a, stranger])))).toBe('WEIR_ERR_BUNDLE_THRESHOLD');
    });

    it('does not count unknown keys, and reports them', () => {
      const check = verify(bundleBytes([stranger, a, b]));
      expect(check.ok && check.bundle).toEqual(expect.objectContaining({ signedBy: ['ops-a', 'ops-b'], ignoredSignatures: [{ keyId: 'stranger', reason: 'unknown-key' }] }));
    });

    it('reports a bad signature when it is why the threshold is missed', () => {
      const bundle = asJson(bundleBytes([a, b]));
      bundle['signatures'][1].sig = bundle['signatures'][0].sig;
      expect(outcome(verify(toBytes(bundle)))).toBe('WEIR_ERR_BUNDLE_BAD_SIGNATURE');
    });

    it('accepts enough good signatures beside a bad one, and reports the bad one', () => {
      const bundle = asJson(bundleBytes([a, b, c]));
      bundle['signatures'][2].sig = bundle['signatures'][0].sig;
      const check = verify(toBytes(bundle));
      expect(check.ok && check.bundle.ignoredSignatures).toEqual([{ keyId: 'ops-c', reason: 'bad-signature' }]);
    });

    it('cannot be met by one private key trusted under two ids', () => {
      expect(() => new BundleVerifier({ keys: [...trusted(a), { keyId: 'alias', publicKey: a.publicKey }], threshold: 2 })).toThrow(
        expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }),
      );
    });

    it.each([0, 4, 1.5, Number.NaN])('refuses threshold %p for three keys', (threshold) => {
      expect(() => new BundleVerifier({ keys: trusted(a, b, c), threshold })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
    });

    it('refuses no keys, a key id trusted twice, and a malformed key', () => {
      expect(() => new BundleVerifier({ keys: [] })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
      expect(() => new BundleVerifier({ keys: [...trusted(a), { keyId: 'ops-a', publicKey: b.publicKey }] })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
      expect(() => new BundleVerifier({ keys: [{ keyId: 'short', publicKey: new Uint8Array(31) }] })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_KEY_INVALID' }));
    });
  });

  describe('key rotation', () => {
    const oldKey = testKey('release-2025', 11);
    const newKey = testKey('release-2026', 12);

    it('old trusted, then old and new, then new only', () => {
      const before = new BundleVerifier({ keys: trusted(oldKey) });
      const during = new BundleVerifier({ keys: trusted(oldKey, newKey) });
      const after = new BundleVerifier({ keys: trusted(newKey) });
      const byOld = bundleBytes([oldKey], { revision: 10 });
      const byBoth = bundleBytes([oldKey, newKey], { revision: 11 });
      const byNew = bundleBytes([newKey], { revision: 12 });
      const at = (v: BundleVerifier, bytes: Buffer): string => outcome(v.verify(bytes, { now: NOW }));

      expect([at(before, byOld), at(before, byBoth), at(before, byNew)]).toEqual(['ok', 'ok', 'WEIR_ERR_BUNDLE_UNKNOWN_KEY']);
      expect([at(during, byOld), at(during, byBoth), at(during, byNew)]).toEqual(['ok', 'ok', 'ok']);
      expect([at(after, byOld), at(after, byBoth), at(after, byNew)]).toEqual(['WEIR_ERR_BUNDLE_UNKNOWN_KEY', 'ok', 'ok']);
      const check = after.verify(byBoth, { now: NOW });
      expect(check.ok && check.bundle.ignoredSignatures).toEqual([{ keyId: 'release-2025', reason: 'unknown-key' }]);
    });
  });
});

/** Re-sign arbitrary payload bytes with key `a` into the given bundle object (for signer-bug cases). */
function signBundleOver(payload: Buffer, bundle: Record<string, any>): { bytes: Buffer } {
  bundle['payload'] = encodeBase64(payload);
  bundle['payloadSha256'] = sha256Hex(payload);
  bundle['signatures'] = [{ keyId: 'ops-a', sig: encodeBase64(signPayload(payload, a).sig) }];
  return { bytes: toBytes(bundle) };
}
