import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * An upstream's `tls` holds together: a client certificate is `certFile` and `keyFile` together
 * or neither (the missing one is reported), and `caFile` is not given with `verify: false`
 * (nothing would be verified against it, which is what an operator least expects).
 */
export function checkUpstreamTls(config: WeirConfig, report: Report): void {
  for (const [i, upstream] of (config.upstreams ?? []).entries()) {
    const tls = upstream.tls;
    if (tls === undefined) continue;
    if (tls.certFile !== undefined && tls.keyFile === undefined) {
      report(jsonPointer('upstreams', i, 'tls', 'keyFile'), 'is required with "certFile" (the client certificate\'s private key)');
    } else if (tls.keyFile !== undefined && tls.certFile === undefined) {
      report(jsonPointer('upstreams', i, 'tls', 'certFile'), 'is required with "keyFile" (the client certificate the key belongs to)');
    }
    if (tls.verify === false && tls.caFile !== undefined) {
      report(jsonPointer('upstreams', i, 'tls', 'caFile'), '"verify" is false, so nothing is verified against this CA: remove "caFile" or "verify"');
    }
  }
}
