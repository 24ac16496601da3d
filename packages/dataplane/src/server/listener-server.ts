import { createServer, Server as HttpServer, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  createServer as createH2cServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2ServerResponse,
  type Settings,
} from 'node:http2';
import type { Server as NetServer } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { ListenerSpec } from '@weir/runtime';
import type { ListenerTls } from '../tls/index';
import { H2Request } from './h2-request';
import { applyListenerLimits, serverOptions } from './server-limits';

/** A listener's server: HTTP/1.1, HTTPS (h2 and/or HTTP/1.1 by ALPN) or h2c. */
export type ListenerServer = HttpServer | Http2SecureServer | Http2Server;

/** The response classes a listener's server builds, one per protocol. */
export interface ResponseClasses {
  readonly http1?: typeof ServerResponse;
  readonly http2?: typeof Http2ServerResponse;
}

/** Most header fields in one HTTP/2 request (Node's default of 128 is below what browsers send with many cookies). */
const MAX_HEADER_LIST_PAIRS = 512;

/**
 * Creates the server for a listener spec. `tls` is the listener's certificate store (non-null
 * exactly for `protocol: "tls"`); the server reads it through `current()` on every handshake
 * that sends SNI, so a commit that swaps the store changes the certificate of new handshakes
 * without touching the socket.
 *
 * HTTPS is Node's `http2.createSecureServer` with `allowHTTP1` when ALPN offers `http/1.1`:
 * one socket, h2 and HTTP/1.1 chosen per connection by ALPN, both reaching the same `request`
 * handler. HTTP/1.1 over it goes through Node's ordinary HTTP/1.1 connection code, so the
 * listener limits apply as on plain listeners (`applyListenerLimits`).
 */
export function createListenerServer(
  spec: ListenerSpec,
  tls: ListenerTls | null,
  current: () => ListenerTls | null,
  classes: ResponseClasses,
): ListenerServer {
  if (spec.protocol === 'http1') {
    return createServer({
      ...serverOptions(spec),
      ...(classes.http1 === undefined ? {} : { ServerResponse: classes.http1 }),
    });
  }
  const h2 = {
    settings: http2Settings(spec),
    maxHeaderListPairs: MAX_HEADER_LIST_PAIRS,
    Http2ServerRequest: H2Request,
    ...(classes.http2 === undefined ? {} : { Http2ServerResponse: classes.http2 }),
  };
  if (spec.protocol === 'h2c') return createH2cServer(h2);
  const store = tls as ListenerTls;
  const server = createSecureServer({
    ...h2,
    ...store.defaultOptions,
    allowHTTP1: store.alpn.includes('http/1.1'),
    ALPNProtocols: store.alpn.slice(),
    requestCert: store.requestCert,
    rejectUnauthorized: store.rejectUnauthorized,
    handshakeTimeout: store.handshakeTimeoutMs,
    SNICallback: (serverName: string, done: (err: Error | null, ctx?: SecureContext) => void): void => {
      const now = current();
      done(null, now === null ? undefined : now.table.lookup(serverName));
    },
    ...(classes.http1 === undefined ? {} : { Http1ServerResponse: classes.http1 }),
  });
  // HTTP/1.1 over TLS: the timeout sweep interval is read when the server starts listening.
  (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    serverOptions(spec).connectionsCheckingInterval as number;
  return server;
}

/** The SETTINGS a listener sends its HTTP/2 clients. */
export function http2Settings(spec: ListenerSpec): Settings {
  return {
    maxConcurrentStreams: spec.http2.maxConcurrentStreams,
    initialWindowSize: spec.http2.initialWindowBytes,
    maxHeaderListSize: spec.limits.maxHeaderBytes,
  };
}

/**
 * Applies a spec's limits and TLS settings to a running server (a commit that kept it). New
 * connections get them; open ones keep what they negotiated.
 */
export function configureListenerServer(server: ListenerServer, spec: ListenerSpec, tls: ListenerTls | null): void {
  if (server instanceof HttpServer) {
    applyListenerLimits(server, spec);
    return;
  }
  const h2 = server as Http2SecureServer;
  h2.updateSettings(http2Settings(spec));
  h2.setTimeout(spec.limits.keepAliveTimeoutMs);
  if (spec.protocol !== 'tls' || tls === null) return;
  // Node's HTTP/1.1 code reads these per connection from the server object.
  applyListenerLimits(h2 as unknown as HttpServer, spec);
  (h2 as unknown as { requireHostHeader: boolean }).requireHostHeader = false;
  const secure = h2 as Http2SecureServer & { requestCert: boolean; rejectUnauthorized: boolean; handshakeTimeout: number };
  secure.setSecureContext(tls.defaultOptions);
  secure.requestCert = tls.requestCert;
  secure.rejectUnauthorized = tls.rejectUnauthorized;
  secure.handshakeTimeout = tls.handshakeTimeoutMs;
}

/** The net.Server underneath every kind (for listen/close/address). */
export function netServer(server: ListenerServer): NetServer {
  return server as unknown as NetServer;
}
