import { request } from 'node:http';
import { request as tlsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { UpstreamTlsSpec } from '@weir/runtime';
import type { HealthTimers } from './health-timers';

/** Where and how one check goes. */
export interface ProbeTarget {
  /** Host to connect to (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** `Host` header: the endpoint's address as configured. */
  readonly hostHeader: string;
  /** Request path with optional query. */
  readonly path: string;
  /** Time allowed for the whole check: connect, TLS handshake, response headers and body. */
  readonly timeoutMs: number;
  /**
   * The upstream's TLS settings: the check goes over https with the same CA, server name,
   * verification, client certificate and minimum version as the workers' pools. Default (and
   * null): plain HTTP.
   */
  readonly tls?: UpstreamTlsSpec | null;
}

/** What one check saw. */
export interface ProbeResult {
  /** Response status, 0 when no complete response arrived. */
  readonly status: number;
  /**
   * Why there is no complete response (`timeout`, a socket error code such as `ECONNREFUSED`,
   * or a TLS one such as `DEPTH_ZERO_SELF_SIGNED_CERT` or `ERR_TLS_CERT_ALTNAME_INVALID`); null
   * with a status.
   */
  readonly error: string | null;
}

/** Runs one check. Never rejects. */
export type Probe = (target: ProbeTarget, timers: HealthTimers) => Promise<ProbeResult>;

/**
 * An HTTP/1.1 health check with node:http or node:https (the primary's import graph stays free
 * of undici): `GET path` with `Connection: close` on a fresh connection (`agent: false`), so a
 * check always exercises connect (and the TLS handshake) as well, and no idle socket outlives
 * it. The body is read to its end and discarded: a response counts only once complete, within
 * `timeoutMs`, whose expiry destroys the request.
 *
 * Over TLS the check must see the endpoint as the workers do (dataplane's
 * `upstreamTlsConnector`): the same SNI rule (`serverName`, else the endpoint's host when it is
 * a name, none for an IP), never the `Host` header, which node:https would otherwise use as SNI.
 * A certificate the workers would refuse fails the check.
 */
export const httpProbe: Probe = (target, timers) =>
  new Promise<ProbeResult>((resolve) => {
    let settled = false;
    let timer: unknown = null;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== null) timers.clearTimeout(timer);
      resolve(result);
    };
    const options: RequestOptions = {
      host: target.host,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      headers: { host: target.hostHeader, 'user-agent': 'weir-health-check', accept: '*/*', connection: 'close' },
    };
    const tls = target.tls ?? null;
    if (tls !== null) addTlsOptions(options, tls, target.host);
    const req = (tls === null ? request : tlsRequest)(options, (res) => {
      const status = res.statusCode ?? 0;
      res.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, error: err.code ?? 'ERR_RESPONSE' }));
      res.on('aborted', () => finish({ status: 0, error: 'ECONNRESET' }));
      res.on('end', () => finish({ status, error: null }));
      res.resume();
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, error: err.code ?? 'ERR_REQUEST' }));
    timer = timers.setTimeout(() => {
      finish({ status: 0, error: 'timeout' });
      req.destroy();
    }, target.timeoutMs);
    req.end();
  });

/**
 * The upstream's TLS settings as node:https options. `servername: ''` (for an IP endpoint
 * without `serverName`) keeps node:https from taking the `Host` header as SNI; the certificate
 * is then verified against the IP.
 */
function addTlsOptions(options: RequestOptions, tls: UpstreamTlsSpec, host: string): void {
  options.servername = tls.serverName ?? (isIP(host) === 0 ? host : '');
  options.rejectUnauthorized = tls.verify;
  options.minVersion = tls.minVersion;
  if (tls.caPem !== null) options.ca = tls.caPem;
  if (tls.certPem !== null) options.cert = tls.certPem;
  if (tls.keyPem !== null) options.key = tls.keyPem;
}
