import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

const VERSION_ORDER: Readonly<Record<string, number>> = { 'TLSv1.2': 2, 'TLSv1.3': 3 };

/**
 * A listener's protocol settings agree with each other:
 *
 * - `protocol` is for plain listeners: with `tls`, ALPN chooses the protocol, so `protocol`
 *   (even `"http1"`) would say something the listener does not do;
 * - `httpsRedirect` is for plain listeners: a TLS listener redirecting to HTTPS would loop;
 * - `tls.minVersion` is not newer than `tls.maxVersion` (defaults included), reported at the
 *   field that was written (the max when both are);
 * - a TLS 1.2-only listener (`maxVersion: "TLSv1.2"`) has a TLS 1.2 cipher in `ciphers`: a list of
 *   TLS 1.3 suites (`TLS_*`) alone would fail every handshake (a list without TLS 1.3 suites is
 *   fine: Node keeps its TLS 1.3 defaults);
 * - `http2` is set only where the listener can speak HTTP/2: `protocol: "h2c"`, or TLS with
 *   `"h2"` in `alpn` (default included). Elsewhere it would silently do nothing.
 */
export function checkListenerProtocol(config: WeirConfig, report: Report): void {
  for (const [i, listener] of config.listeners.entries()) {
    const tls = listener.tls;
    if (tls !== undefined && listener.protocol !== undefined) {
      const hint = listener.protocol === 'h2c' ? '; h2c is HTTP/2 without TLS' : '; for HTTP/1.1 only, set "tls.alpn" to ["http/1.1"]';
      report(jsonPointer('listeners', i, 'protocol'), `a TLS listener chooses its protocol by ALPN ("tls.alpn"): remove "protocol"${hint}`);
    }
    if (tls !== undefined && listener.httpsRedirect !== undefined) {
      report(jsonPointer('listeners', i, 'httpsRedirect'), 'this listener already serves HTTPS: "httpsRedirect" belongs on a plain listener');
    }
    if (tls !== undefined) {
      const min = tls.minVersion ?? configDefaults.tlsMinVersion;
      const max = tls.maxVersion ?? configDefaults.tlsMaxVersion;
      if ((VERSION_ORDER[min] as number) > (VERSION_ORDER[max] as number)) {
        const field = tls.maxVersion !== undefined ? 'maxVersion' : 'minVersion';
        report(jsonPointer('listeners', i, 'tls', field), `minVersion ${min} is newer than maxVersion ${max}`);
      }
      if (max === 'TLSv1.2' && tls.ciphers !== undefined && tls.ciphers.split(':').every((entry) => entry.startsWith('TLS_'))) {
        report(jsonPointer('listeners', i, 'tls', 'ciphers'), 'holds TLS 1.3 suites only, and maxVersion is TLSv1.2: no handshake could succeed; add TLS 1.2 ciphers');
      }
    }
    if (listener.http2 !== undefined) {
      const speaksH2 =
        tls !== undefined
          ? (tls.alpn ?? configDefaults.tlsAlpn).includes('h2')
          : (listener.protocol ?? configDefaults.listenerProtocol) === 'h2c';
      if (!speaksH2) {
        const why = tls !== undefined ? '"tls.alpn" does not offer "h2"' : 'a plain listener speaks HTTP/2 only with "protocol": "h2c"';
        report(jsonPointer('listeners', i, 'http2'), `this listener never speaks HTTP/2 (${why}): remove "http2"`);
      }
    }
  }
}
