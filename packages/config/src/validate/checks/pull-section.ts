import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * The `pull` section (the bundle puller): every trusted key gives exactly one of `publicKey` and
 * `publicKeyFile`, key ids and inline keys are unique (one private key under two ids would count
 * twice towards the threshold), the threshold is at most the number of keys, `maxBackoffMs` is
 * at least `intervalMs`, and `url` is a URL without credentials (the config is kept in the
 * history and shown by the admin API). Key files are read when the puller is configured, not
 * here: validation reads no files but certificates.
 */
export function checkPullSection(config: WeirConfig, report: Report): void {
  const pull = config.pull;
  if (pull === undefined) return;
  let url: URL | null = null;
  try {
    url = new URL(pull.url);
  } catch {
    report(jsonPointer('pull', 'url'), `"${pull.url}" is not a URL`);
  }
  if (url !== null && (url.username !== '' || url.password !== '')) {
    report(jsonPointer('pull', 'url'), 'the URL must not carry credentials: the config is kept in the history and shown by the admin API');
  }
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
