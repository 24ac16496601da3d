import { inspectBundle } from '@weir/bundle';
import { CONFIG, CREATED, HOUR, asJson, bundleBytes, testKey, toBytes } from './support/fixtures';

describe('inspectBundle', () => {
  const a = testKey('a', 1);
  const b = testKey('b', 2);

  it('reads the metadata and signature key ids without any trusted key', () => {
    const bytes = bundleBytes([a, b], { labels: { env: 'prod' }, expiresAt: CREATED + HOUR });
    const check = inspectBundle(bytes);
    expect(check.ok && check.inspection).toEqual({
      metadata: { revision: 5, createdAt: '2026-12-06T17:00:00.000Z', expiresAt: '2026-12-06T18:00:00.000Z', labels: { env: 'prod' } },
      config: CONFIG,
      payloadSha256: asJson(bytes)['payloadSha256'],
      payloadBytes: Buffer.from(asJson(bytes)['payload'], 'base64').length,
      signatureKeyIds: ['a', 'b'],
    });
  });

  it('refuses a malformed file and a payload that does not match its digest', () => {
    const malformed = inspectBundle(Buffer.from('{'));
    expect(malformed.ok ? 'ok' : malformed.error.code).toBe('WEIR_ERR_BUNDLE_MALFORMED');
    const bundle = asJson(bundleBytes([a]));
    bundle['payload'] = Buffer.from('{"format":"weir-bundle-payload/1"}').toString('base64');
    const tampered = inspectBundle(toBytes(bundle));
    expect(tampered.ok ? 'ok' : tampered.error.code).toBe('WEIR_ERR_BUNDLE_TAMPERED');
  });
});
