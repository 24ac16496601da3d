import { encodeBase64, publicKeyOf, signBundle, signingKeyFromSeed } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import type { ApplyOutcome } from '../../src/apply/index';
import { BundlePuller, S3BundleSource, s3CredentialsFromEnv, s3ObjectUrl, type S3Credentials } from '../../src/pull/index';
import { CapturedLog } from '../support/captured-log';
import { S3_REGION, S3RVER_CREDENTIALS, S3TestServer } from './s3-test-server';

const KEY = signingKeyFromSeed('release-s3', Buffer.alloc(32, 7));
const CREATED = Date.parse('2026-12-06T17:00:00.000Z');
const NOW = Date.parse('2026-12-06T18:00:00.000Z');
const BUCKET = 'weir-bundles';
const OBJECT = 'fleet/prod/weir.bundle';

function bundle(revision: number): Buffer {
  const config = { listeners: [{ name: 'public', port: 8080 }], routes: [{ name: 'hello', directResponse: { status: 200, body: `revision ${revision}` } }] };
  return signBundle({ revision, createdAt: CREATED, config }, [KEY]).bytes;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; message: string } | null;
  return err === null ? { code: 'none', message: 'resolved' } : { code: err.code, message: err.message };
}

describe('S3BundleSource against an S3-compatible server (s3rver, SigV4 checked)', () => {
  let s3: S3TestServer;
  let sources: S3BundleSource[];

  beforeEach(async () => {
    s3 = new S3TestServer(BUCKET);
    await s3.start();
    sources = [];
  });

  afterEach(async () => {
    for (const s of sources) await s.close();
    await s3.close();
  });

  function source(options: { key?: string; credentials?: S3Credentials | null; maxBytes?: number } = {}): S3BundleSource {
    const s = new S3BundleSource({
      bucket: BUCKET,
      key: options.key ?? OBJECT,
      region: S3_REGION,
      endpoint: s3.endpoint,
      credentials: options.credentials === undefined ? S3RVER_CREDENTIALS : options.credentials,
      timeoutMs: 2000,
      maxBytes: options.maxBytes ?? 1_048_576,
    });
    sources.push(s);
    return s;
  }

  it('fetches the object with a signed GetObject, then gets 304 (unchanged) with its ETag', async () => {
    expect.assertions(4);
    const bytes = bundle(1);
    const etag = await s3.put(OBJECT, bytes);
    const s = source();
    expect(s.description).toBe(`s3://${BUCKET}/${OBJECT} at ${s3.endpoint}`);
    const first = await s.fetch(null);
    expect(first).toEqual({ status: 'fetched', bytes, mark: { etag, lastModified: expect.any(String) } });
    // If-None-Match alone, as the puller sends it after an answer with an ETag.
    await expect(s.fetch({ etag, lastModified: null })).resolves.toEqual({ status: 'unchanged' });
    // A new object is a new ETag: fetched again.
    await s3.put(OBJECT, bundle(2));
    await expect(s.fetch({ etag, lastModified: null })).resolves.toMatchObject({ status: 'fetched', bytes: bundle(2) });
  });

  it('fails with WEIR_ERR_BUNDLE_SOURCE on a wrong secret key (403 SignatureDoesNotMatch)', async () => {
    expect.assertions(1);
    await s3.put(OBJECT, bundle(1));
    const s = source({ credentials: { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' } });
    await expect(failure(s.fetch(null))).resolves.toEqual({ code: 'WEIR_ERR_BUNDLE_SOURCE', message: expect.stringContaining('answered 403 (SignatureDoesNotMatch)') });
  });

  it('fails with WEIR_ERR_BUNDLE_SOURCE on a missing object (404 NoSuchKey)', async () => {
    expect.assertions(1);
    const s = source({ key: 'fleet/missing.bundle' });
    await expect(failure(s.fetch(null))).resolves.toEqual({ code: 'WEIR_ERR_BUNDLE_SOURCE', message: expect.stringContaining('answered 404 (NoSuchKey)') });
  });

  it('fails with WEIR_ERR_BUNDLE_SOURCE, naming the variables, without credentials', async () => {
    expect.assertions(1);
    await s3.put(OBJECT, bundle(1));
    const s = source({ credentials: null });
    await expect(failure(s.fetch(null))).resolves.toEqual({ code: 'WEIR_ERR_BUNDLE_SOURCE', message: expect.stringContaining('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY') });
  });

  it('stops at maxBytes', async () => {
    expect.assertions(1);
    await s3.put(OBJECT, bundle(1));
    const s = source({ maxBytes: 64 });
    await expect(failure(s.fetch(null))).resolves.toEqual({ code: 'WEIR_ERR_BUNDLE_SOURCE', message: expect.stringContaining('over pull.maxBytes (64)') });
  });

  it('is the source of a puller with an s3 section, signing with the environment it is given', async () => {
    expect.assertions(3);
    await s3.put(OBJECT, bundle(1));
    const applied: unknown[] = [];
    const section: PullConfig = {
      s3: { bucket: BUCKET, key: OBJECT, region: S3_REGION, endpoint: s3.endpoint },
      trustedKeys: [{ keyId: KEY.keyId, publicKey: encodeBase64(publicKeyOf(KEY).publicKey) }],
      timeoutMs: 2000,
    };
    const puller = new BundlePuller({
      section,
      applier: {
        apply: (config): Promise<ApplyOutcome> => {
          applied.push(config);
          return Promise.resolve({ changed: false, version: 'v-1', hash: 'h', spec: {} as never });
        },
      },
      logger: new CapturedLog().logger,
      wallClock: () => NOW,
      environment: { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey },
    });
    try {
      await expect(puller.poll()).resolves.toBe('applied');
      await expect(puller.poll()).resolves.toBe('unchanged');
      expect(applied).toHaveLength(1);
    } finally {
      await puller.stop();
    }
  });

  it('fails every poll of a puller without credentials in its environment', async () => {
    expect.assertions(2);
    await s3.put(OBJECT, bundle(1));
    const puller = new BundlePuller({
      section: { s3: { bucket: BUCKET, key: OBJECT, region: S3_REGION, endpoint: s3.endpoint }, trustedKeys: [{ keyId: KEY.keyId, publicKey: encodeBase64(publicKeyOf(KEY).publicKey) }] },
      applier: { apply: () => Promise.reject(new Error('not applied')) },
      logger: new CapturedLog().logger,
      wallClock: () => NOW,
      environment: {},
    });
    try {
      await expect(puller.poll()).resolves.toBe('failed');
      expect(puller.status().lastError?.code).toBe('WEIR_ERR_BUNDLE_SOURCE');
    } finally {
      await puller.stop();
    }
  });
});

describe('s3ObjectUrl and s3CredentialsFromEnv', () => {
  it('uses virtual-hosted AWS URLs by default and path style with an endpoint, encoding key segments', () => {
    const key = "a b/c+d(1)!.bundle";
    expect(s3ObjectUrl({ bucket: 'b', key, region: 'eu-west-1' }).href).toBe('https://b.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd%281%29%21.bundle');
    expect(s3ObjectUrl({ bucket: 'b', key, region: 'eu-west-1', forcePathStyle: true }).href).toBe('https://s3.eu-west-1.amazonaws.com/b/a%20b/c%2Bd%281%29%21.bundle');
    expect(s3ObjectUrl({ bucket: 'b', key: 'k', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000/' }).href).toBe('http://127.0.0.1:9000/b/k');
    expect(s3ObjectUrl({ bucket: 'b', key: 'k', region: 'auto', endpoint: 'https://store.example', forcePathStyle: false }).href).toBe('https://b.store.example/k');
  });

  it('reads the two keys and the optional session token; either key missing or empty is none', () => {
    expect(s3CredentialsFromEnv({ AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
    expect(s3CredentialsFromEnv({ AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 't' })).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 't' });
    expect(s3CredentialsFromEnv({ AWS_ACCESS_KEY_ID: 'id' })).toBeNull();
    expect(s3CredentialsFromEnv({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 'secret' })).toBeNull();
  });
});
