import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * The `pull` section (the bundle puller): every trusted key gives exactly one of `publicKey` and
 * `publicKeyFile`, key ids and inline keys are unique (one private key under two ids would count
 * twice towards the threshold), the threshold is at most the number of keys, `maxBackoffMs` is
 * at least `intervalMs`, exactly one of `url` and `s3` names the source, `url` and
 * `s3.endpoint` are URLs without credentials (the config is kept in the history and shown by the
 * admin API; S3 credentials come from the environment), the endpoint is an origin, and the
 * bucket, key and region are well formed. Key files are read when the puller is
 * configured, not here: validation reads no files but certificates.
 */
export function checkPullSection(config: WeirConfig, report: Report): void {
  const pull = config.pull;
  if (pull === undefined) return;
  if ((pull.url === undefined) === (pull.s3 === undefined)) {
    report(jsonPointer('pull'), 'the bundle source needs exactly one of "url" (HTTP(S)) and "s3" (an S3 object)');
  }
  if (pull.url !== undefined) checkSourceUrl(pull.url, jsonPointer('pull', 'url'), report);
  if (pull.s3 !== undefined) checkS3(pull.s3, report);
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  for (let i = 0; i < pull.trustedKeys.length; i++) {
    const key = pull.trustedKeys[i] as (typeof pull.trustedKeys)[number];
    const at = jsonPointer('pull', 'trustedKeys', i);
    if ((key.publicKey === undefined) === (key.publicKeyFile === undefined)) {
      report(at, `key "${key.keyId}" needs exactly one of "publicKey" and "publicKeyFile"`);
    }
    const firstId = ids.get(key.keyId);
    if (firstId === undefined) ids.set(key.keyId, i);
    else report(jsonPointer('pull', 'trustedKeys', i, 'keyId'), `duplicate key id "${key.keyId}" (first at ${jsonPointer('pull', 'trustedKeys', firstId)})`);
    if (key.publicKey !== undefined) {
      const firstKey = keys.get(key.publicKey);
      if (firstKey === undefined) keys.set(key.publicKey, i);
      else report(jsonPointer('pull', 'trustedKeys', i, 'publicKey'), `the same public key as ${jsonPointer('pull', 'trustedKeys', firstKey)}: one key must not count twice`);
    }
  }
  const threshold = pull.threshold ?? 1;
  if (threshold > pull.trustedKeys.length) {
    report(jsonPointer('pull', 'threshold'), `threshold ${threshold} is more than the ${pull.trustedKeys.length} trusted key(s)`);
  }
  const interval = pull.intervalMs ?? configDefaults.pullIntervalMs;
  const maxBackoff = pull.maxBackoffMs ?? configDefaults.pullMaxBackoffMs;
  if (maxBackoff < interval) {
    report(jsonPointer('pull', 'maxBackoffMs'), `maxBackoffMs (${maxBackoff}) must be at least intervalMs (${interval})`);
  }
}

/** S3 bucket names (the rules for general purpose buckets, without the IP-address exception). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9][a-z0-9-]*$/;

function checkS3(s3: NonNullable<NonNullable<WeirConfig['pull']>['s3']>, report: Report): void {
  if (!BUCKET.test(s3.bucket)) {
    report(jsonPointer('pull', 's3', 'bucket'), `"${s3.bucket}" is not a bucket name: 3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit`);
  }
  if (s3.key.startsWith('/')) report(jsonPointer('pull', 's3', 'key'), 'the object key must not start with "/"');
  if (!REGION.test(s3.region)) report(jsonPointer('pull', 's3', 'region'), `"${s3.region}" is not a region: lowercase letters, digits and "-"`);
  if (s3.endpoint === undefined) return;
  const at = jsonPointer('pull', 's3', 'endpoint');
  const url = checkSourceUrl(s3.endpoint, at, report);
  if (url !== null && (url.pathname !== '/' || url.search !== '' || url.hash !== '')) {
    report(at, 'the endpoint is an origin (scheme, host, port): the bucket and key make the path');
  }
}

/** A source URL parses and carries no credentials; returns it, or null when it does not parse. */
function checkSourceUrl(value: string, at: string, report: Report): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    report(at, `"${value}" is not a URL`);
    return null;
  }
  if (url.username !== '' || url.password !== '') {
    report(at, 'the URL must not carry credentials: the config is kept in the history and shown by the admin API');
  }
  return url;
}
