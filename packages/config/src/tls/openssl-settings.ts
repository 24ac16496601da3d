import { createSecureContext } from 'node:tls';
import type { ErrorDetail } from '@weir/errors';
import { jsonPointer } from '../validate/index';
import type { WeirConfig } from '../types/index';
import { reason } from './pem-certificates';

/**
 * Listeners' `tls.ciphers` and `tls.ecdhCurves` strings, tried with OpenSSL the way a worker
 * will use them (`tls.createSecureContext`), so a typo is a validation problem at the field
 * rather than a worker refusing the apply. Each distinct string is tried once.
 */
export function opensslSettingProblems(config: WeirConfig): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const tried = new Map<string, string | null>();
  const attempt = (key: string, make: () => void): string | null => {
    let outcome = tried.get(key);
    if (outcome !== undefined) return outcome;
    try {
      make();
      outcome = null;
    } catch (err) {
      outcome = reason(err);
    }
    tried.set(key, outcome);
    return outcome;
  };
  for (const [i, listener] of config.listeners.entries()) {
    const tls = listener.tls;
    if (tls === undefined) continue;
    if (tls.ciphers !== undefined) {
      const ciphers = tls.ciphers;
      const failed = attempt('c:' + ciphers, () => createSecureContext({ ciphers }));
      if (failed !== null) {
        problems.push({
          pointer: jsonPointer('listeners', i, 'tls', 'ciphers'),
          message: `OpenSSL rejects this cipher list (${failed}); every entry must be a cipher or suite name OpenSSL knows, such as "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256"`,
        });
      }
    }
    if (tls.ecdhCurves !== undefined) {
      const ecdhCurve = tls.ecdhCurves;
      const failed = attempt('e:' + ecdhCurve, () => createSecureContext({ ecdhCurve }));
      if (failed !== null) {
        problems.push({
          pointer: jsonPointer('listeners', i, 'tls', 'ecdhCurves'),
          message: `OpenSSL rejects these groups (${failed}); use names such as "X25519:P-256:P-384", separated by ":"`,
        });
      }
    }
  }
  return problems;
}
