import type { Server, ServerOptions } from 'node:http';
import type { ListenerSpec } from '@weir/runtime';

/** Longest interval between Node's header/request timeout sweeps. */
const MAX_CHECK_INTERVAL_MS = 1000;
/** Shortest interval between sweeps (each walks every connection of the server). */
const MIN_CHECK_INTERVAL_MS = 50;

/**
 * Node's `http.Server` options for a listener's limits:
 *
 * - `maxHeaderSize` = `maxHeaderBytes` (a larger header section gets 431);
 * - `headersTimeout` = `headersTimeoutMs`, capped at `requestTimeoutMs` when that is set (Node
 *   refuses a headers timeout longer than the request timeout);
 * - `requestTimeout` = `requestTimeoutMs` (0 disables: bodies stream for as long as they move);
 * - `keepAliveTimeout` = `keepAliveTimeoutMs`;
 * - `connectionsCheckingInterval`: Node checks header and request timeouts on a sweep, every
 *   30 s by default, which would let a 10 s headers timeout run 40 s. A quarter of the shortest
 *   timeout, between 50 ms and 1 s, keeps expiry close to the configured value. The sweep is
 *   fixed when the server is created; a reload that shortens timeouts keeps the old interval;
 * - `requireHostHeader: false`: Node's own check answers an HTTP/1.1 request without `Host` with a
 *   bare 400 (no JSON body, no `x-weir-error`) and misses duplicate `Host` lines; the listener's
 *   `requestHeadError` checks both instead (RFC 9112 section 3.2).
 */
export function serverOptions(spec: ListenerSpec): ServerOptions {
  const l = spec.limits;
  const headersTimeout = effectiveHeadersTimeout(spec);
  const shortest = l.requestTimeoutMs > 0 ? Math.min(headersTimeout, l.requestTimeoutMs) : headersTimeout;
  const interval = Math.min(MAX_CHECK_INTERVAL_MS, Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(shortest / 4)));
  return {
    maxHeaderSize: l.maxHeaderBytes,
    headersTimeout,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: interval,
    requireHostHeader: false,
  };
}

/**
 * Applies a listener's limits to a running server (a reload that kept the server). Node reads
 * these properties per connection or per sweep, so new connections get the new values.
 * `maxRequestsPerSocket` (0 = unlimited) is not a constructor option, so it is always set here;
 * nor is `maxConnections` (net.Server closes a connection accepted beyond it at once; 0 in the
 * spec = unlimited, which is `Infinity` here because net.Server treats 0 as "refuse all" in
 * newer Node versions).
 */
export function applyListenerLimits(server: Server, spec: ListenerSpec): void {
  const l = spec.limits;
  // Node reads `server.maxHeaderSize` per new connection but does not declare it in its types.
  (server as Server & { maxHeaderSize: number }).maxHeaderSize = l.maxHeaderBytes;
  server.requestTimeout = l.requestTimeoutMs;
  server.headersTimeout = effectiveHeadersTimeout(spec);
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = l.maxRequestsPerConnection;
  server.maxConnections = l.maxConnections === 0 ? Infinity : l.maxConnections;
}

function effectiveHeadersTimeout(spec: ListenerSpec): number {
  const l = spec.limits;
  return l.requestTimeoutMs > 0 ? Math.min(l.headersTimeoutMs, l.requestTimeoutMs) : l.headersTimeoutMs;
}
