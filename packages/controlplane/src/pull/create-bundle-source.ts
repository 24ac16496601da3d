import type { PullConfig } from '@weir/config';
import { configDefaults } from '@weir/runtime';
import type { BundleSource } from './bundle-source';
import { HttpBundleSource } from './http-bundle-source';
import { S3BundleSource, type S3Credentials } from './s3-bundle-source';

/**
 * The source a `pull` section names: `S3BundleSource` for `s3` (signed with `credentials`; null:
 * every fetch fails, saying they are missing), `HttpBundleSource` for `url`. Validation has made
 * sure exactly one of the two is set.
 */
export function createBundleSource(section: PullConfig, credentials: S3Credentials | null): BundleSource {
  const timeoutMs = section.timeoutMs ?? configDefaults.pull.timeoutMs;
  const maxBytes = section.maxBytes ?? configDefaults.pull.maxBytes;
  const s3 = section.s3;
  if (s3 !== undefined) {
    return new S3BundleSource({
      bucket: s3.bucket,
      key: s3.key,
      region: s3.region,
      ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
      ...(s3.forcePathStyle === undefined ? {} : { forcePathStyle: s3.forcePathStyle }),
      credentials,
      timeoutMs,
      maxBytes,
    });
  }
  return new HttpBundleSource({ url: section.url ?? '', timeoutMs, maxBytes });
}
