import { validateConfig } from '../../../src/validate/index';
import { pointersOf, validConfig } from '../../fixtures/configs';

const KEY_1 = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';
const KEY_2 = 'PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=';
const URL = 'https://bundles.example.com/weir.bundle';

describe('pull section', () => {
  it('accepts a complete pull section', () => {
    const config = {
      ...validConfig(),
      pull: {
        url: URL,
        intervalMs: 5000,
        jitterMs: 0,
        maxBackoffMs: 60000,
        timeoutMs: 2000,
        maxBytes: 1_048_576,
        trustedKeys: [
          { keyId: 'release-2026', publicKey: KEY_1 },
          { keyId: 'release-2027', publicKeyFile: '/etc/weir/keys/release-2027.pub' },
        ],
        threshold: 2,
        mode: 'rollout',
      },
    };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('needs a source (url or s3) and at least one trusted key', () => {
    expect(pointersOf({ ...validConfig(), pull: { trustedKeys: [{ keyId: 'k', publicKey: KEY_1 }] } })).toEqual(['/pull']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [] } })).toEqual(['/pull/trustedKeys']);
  });

  it('refuses other schemes, credentials in the url and malformed keys', () => {
    expect(pointersOf({ ...validConfig(), pull: { url: 'ftp://example.com/b', trustedKeys: [{ keyId: 'k', publicKey: KEY_1 }] } })).toEqual(['/pull/url']);
    expect(pointersOf({ ...validConfig(), pull: { url: 'https://u:p@example.com/b', trustedKeys: [{ keyId: 'k', publicKey: KEY_1 }] } })).toEqual(['/pull/url']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'k', publicKey: 'short=' }] } })).toEqual(['/pull/trustedKeys/0/publicKey']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: '-k', publicKey: KEY_1 }] } })).toEqual(['/pull/trustedKeys/0/keyId']);
  });

  it('needs exactly one of publicKey and publicKeyFile', () => {
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'k' }] } })).toEqual(['/pull/trustedKeys/0']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'k', publicKey: KEY_1, publicKeyFile: '/k.pub' }] } })).toEqual(['/pull/trustedKeys/0']);
  });

  it('refuses a key id or a public key twice, and a threshold above the keys', () => {
    const twice = { url: URL, trustedKeys: [{ keyId: 'a', publicKey: KEY_1 }, { keyId: 'a', publicKey: KEY_2 }, { keyId: 'b', publicKey: KEY_1 }] };
    expect(pointersOf({ ...validConfig(), pull: twice })).toEqual(['/pull/trustedKeys/1/keyId', '/pull/trustedKeys/2/publicKey']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'a', publicKey: KEY_1 }], threshold: 2 } })).toEqual(['/pull/threshold']);
  });

  it('needs maxBackoffMs at least intervalMs', () => {
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'a', publicKey: KEY_1 }], intervalMs: 60000, maxBackoffMs: 30000 } })).toEqual(['/pull/maxBackoffMs']);
    expect(pointersOf({ ...validConfig(), pull: { url: URL, trustedKeys: [{ keyId: 'a', publicKey: KEY_1 }], intervalMs: 600000 } })).toEqual(['/pull/maxBackoffMs']);
  });

  describe('s3', () => {
    const S3 = { bucket: 'weir-bundles', key: 'fleet/prod/weir.bundle', region: 'eu-west-1' };
    const keys = [{ keyId: 'k', publicKey: KEY_1 }];

    it('accepts an S3 object as the source, with or without an endpoint', () => {
      expect(validateConfig({ ...validConfig(), pull: { s3: S3, trustedKeys: keys } }).ok).toBe(true);
      expect(validateConfig({ ...validConfig(), pull: { s3: { ...S3, endpoint: 'http://127.0.0.1:9000', forcePathStyle: false }, trustedKeys: keys } }).ok).toBe(true);
    });

    it('needs exactly one of url and s3, with a message that says so', () => {
      const check = validateConfig({ ...validConfig(), pull: { url: URL, s3: S3, trustedKeys: keys } });
      expect(check.ok ? [] : check.error.details?.map((d) => [d.pointer, d.message])).toEqual([['/pull', 'the bundle source needs exactly one of "url" (HTTP(S)) and "s3" (an S3 object)']]);
    });

    it('needs bucket, key and region, and no other field', () => {
      expect(pointersOf({ ...validConfig(), pull: { s3: { bucket: 'b-1', key: 'k' }, trustedKeys: keys } })).toEqual(['/pull/s3/region']);
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, accessKeyId: 'AKIA' }, trustedKeys: keys } })).toEqual(['/pull/s3/accessKeyId']);
    });

    it('refuses a malformed bucket, key or region', () => {
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, bucket: 'Weir_Bundles' }, trustedKeys: keys } })).toEqual(['/pull/s3/bucket']);
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, key: '/weir.bundle' }, trustedKeys: keys } })).toEqual(['/pull/s3/key']);
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, region: 'EU West' }, trustedKeys: keys } })).toEqual(['/pull/s3/region']);
    });

    it('refuses an endpoint with credentials, a path, or another scheme', () => {
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, endpoint: 'http://u:p@127.0.0.1:9000' }, trustedKeys: keys } })).toEqual(['/pull/s3/endpoint']);
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, endpoint: 'http://127.0.0.1:9000/weir-bundles' }, trustedKeys: keys } })).toEqual(['/pull/s3/endpoint']);
      expect(pointersOf({ ...validConfig(), pull: { s3: { ...S3, endpoint: 'ftp://127.0.0.1:9000' }, trustedKeys: keys } })).toEqual(['/pull/s3/endpoint']);
    });
  });
});
