import { isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import type { EndpointSpec, UpstreamTlsSpec } from '@weir/runtime';

/**
 * The SNI name sent to an endpoint and the name its certificate is verified against:
 * `serverName` when the upstream sets one, else the endpoint's host when it is a DNS name, else
 * null: an IP endpoint gets no SNI (RFC 6066 section 3 allows only host names there) and Node
 * verifies the IP against the certificate's IP subjectAltNames instead.
 */
export function upstreamServerName(tls: UpstreamTlsSpec, endpoint: EndpointSpec): string | null {
  if (tls.serverName !== null) return tls.serverName;
  return isIP(endpoint.host) === 0 ? endpoint.host : null;
}

/**
 * undici's connector for one https endpoint, with the upstream's TLS settings:
 *
 * | spec field           | tls.connect option                                          |
 * |----------------------|-------------------------------------------------------------|
 * | `caPem`              | `ca` (when null, Node's bundled roots)                      |
 * | `serverName`         | `servername` (see `upstreamServerName`)                     |
 * | `verify`             | `rejectUnauthorized`; false also skips the name check       |
 * | `certPem`, `keyPem`  | `cert`, `key` (the client certificate, when set)            |
 * | `minVersion`         | `minVersion`                                                |
 *
 * undici would otherwise take the SNI from each request's `Host` header (`Request.servername`),
 * which a proxy forwards as the client sent it: the public name would be sent to, and verified
 * against, an internal endpoint. This connector ignores the per-request name and always uses
 * the one above; `TlsEndpointPool` pins the per-request name too, so undici never closes a
 * connection because it changed.
 *
 * TLS 1.3 moves the server's verdict on a client certificate after the client's side of the
 * handshake: a refused (or missing) certificate arrives as an alert once the request is on its
 * way, and undici then fails the request with the "other side closed" that follows the alert,
 * which would read as a reset. `noteTlsAlert` keeps the alert as that error's `cause`, so
 * `upstreamErrorCode` can still tell a TLS failure.
 *
 * undici keeps a TLS session cache per connector (100 sessions), so reconnects resume sessions
 * instead of full handshakes. Connect timeout: the upstream's `timeouts.connectMs`, covering
 * the TCP connect and the TLS handshake together.
 */
export function upstreamTlsConnector(tls: UpstreamTlsSpec, endpoint: EndpointSpec, connectMs: number): buildConnector.connector {
  const servername = upstreamServerName(tls, endpoint);
  const options: ConnectionOptions = { rejectUnauthorized: tls.verify, minVersion: tls.minVersion };
  if (tls.caPem !== null) options.ca = tls.caPem;
  if (tls.certPem !== null) options.cert = tls.certPem;
  if (tls.keyPem !== null) options.key = tls.keyPem;
  if (servername !== null) options.servername = servername;
  const connect = buildConnector({ ...options, timeout: connectMs });
  return (opts, callback) => {
    connect(
      {
        hostname: opts.hostname,
        ...(opts.host === undefined ? {} : { host: opts.host }),
        protocol: opts.protocol,
        port: opts.port,
        ...(opts.localAddress === undefined ? {} : { localAddress: opts.localAddress }),
        ...(opts.httpSocket === undefined ? {} : { httpSocket: opts.httpSocket }),
      },
      (err, socket) => {
        // Registered before undici's own listeners, so it sees each error first.
        if (socket !== null && socket !== undefined) socket.on('error', noteTlsAlert);
        (callback as (err: Error | null, socket: Socket | null | undefined) => void)(err, socket);
      },
    );
  };
}

/** The first TLS alert a connection received after its handshake. */
const tlsAlert = Symbol('weir.tlsAlert');

/**
 * Socket `error` listener: remembers the first `ERR_SSL_*` error (a TLS alert such as
 * `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`), and sets it as the `cause` of any later error
 * on the same socket that has none (undici's `SocketError` "other side closed", the error the
 * request then fails with).
 */
function noteTlsAlert(this: Socket & { [tlsAlert]?: Error }, err: Error & { code?: unknown }): void {
  const alert = this[tlsAlert];
  if (alert === undefined) {
    if (typeof err.code === 'string' && err.code.startsWith('ERR_SSL_')) this[tlsAlert] = err;
    return;
  }
  if (err !== alert && err.cause === undefined) err.cause = alert;
}
