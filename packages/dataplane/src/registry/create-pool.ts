import { Pool } from 'undici';
import type { EndpointSpec, UpstreamSpec } from '@weir/runtime';

/**
 * The undici `Pool` for one endpoint, shaped by its upstream's settings:
 *
 * - `connections`: the upstream's `pool.connections`; `0` means no cap (undici's `null`).
 * - `pipelining: 1`: one request per connection at a time. Pipelining would let a slow
 *   response hold up the ones queued behind it on the same socket (head-of-line blocking).
 * - `keepAliveTimeout` and `keepAliveMaxTimeout`: both `pool.keepAliveMs`, so an idle upstream
 *   connection is never kept longer than configured, even when the upstream's `Keep-Alive`
 *   hint offers more.
 * - `connect.timeout`: `timeouts.connectMs`.
 * - `headersTimeout`: `timeouts.requestMs` (a route may override it per request).
 * - `bodyTimeout`: `timeouts.idleMs`, the longest silence while the response body streams.
 *   undici does not count time spent paused for a slow client (client-h1 `onParserTimeout`).
 */
export function createEndpointPool(upstream: UpstreamSpec, endpoint: EndpointSpec): Pool {
  const keepAlive = upstream.pool.keepAliveMs;
  return new Pool(`http://${endpoint.address}`, {
    connections: upstream.pool.connections === 0 ? null : upstream.pool.connections,
    pipelining: 1,
    keepAliveTimeout: keepAlive,
    keepAliveMaxTimeout: keepAlive,
    connect: { timeout: upstream.timeouts.connectMs },
    headersTimeout: upstream.timeouts.requestMs,
    bodyTimeout: upstream.timeouts.idleMs,
  });
}
