import { Pool } from 'undici';
import type { EndpointSpec, UpstreamSpec } from '@weir/runtime';
import { TlsEndpointPool } from './tls-endpoint-pool';
import { upstreamTlsConnector } from './upstream-tls-connector';

/**
 * The undici `Pool` for one endpoint, shaped by its upstream's settings:
 *
 * - `connections`: the upstream's `pool.connections`; `0` means no cap (undici's `null`).
 * - `pipelining: 1`: one request per connection at a time. Pipelining would let a slow
 *   response hold up the ones queued behind it on the same socket (head-of-line blocking).
 * - `keepAliveTimeout` and `keepAliveMaxTimeout`: both `pool.keepAliveMs`, so an idle upstream
 *   connection is never kept longer than configured, even when the upstream's `Keep-Alive`
 *   hint offers more.
 * - `connect.timeout`: `timeouts.connectMs` (with TLS: connect and handshake together).
 * - `headersTimeout`: `timeouts.requestMs` (a route may override it per request).
 * - `bodyTimeout`: `timeouts.idleMs`, the longest silence while the response body streams.
 *   undici does not count time spent paused for a slow client (client-h1 `onParserTimeout`).
 * - `tls` (non-null): origin `https://host:port`, a `TlsEndpointPool` whose connector carries
 *   the CA, SNI, verification, client certificate and minimum version
 *   (`upstreamTlsConnector`). HTTP/1.1 only (ALPN `http/1.1`).
 */
export function createEndpointPool(upstream: UpstreamSpec, endpoint: EndpointSpec): Pool {
  const keepAlive = upstream.pool.keepAliveMs;
  const tls = upstream.tls;
  const options: Pool.Options = {
    connections: upstream.pool.connections === 0 ? null : upstream.pool.connections,
    pipelining: 1,
    keepAliveTimeout: keepAlive,
    keepAliveMaxTimeout: keepAlive,
    connect: tls === null ? { timeout: upstream.timeouts.connectMs } : upstreamTlsConnector(tls, endpoint, upstream.timeouts.connectMs),
    headersTimeout: upstream.timeouts.requestMs,
    bodyTimeout: upstream.timeouts.idleMs,
  };
  if (tls === null) return new Pool(`http://${endpoint.address}`, options);
  return new TlsEndpointPool(`https://${endpoint.address}`, options, endpoint.host);
}
