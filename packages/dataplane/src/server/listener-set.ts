import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ListenerSpec } from '@weir/runtime';
import { WeirError, type ErrorCode } from '@weir/errors';
import type { ListenerTls } from '../tls/index';
import { onClientError, rawErrorResponse } from './client-error';
import { H2Request } from './h2-request';
import { H2Sessions, type Http2Observer } from './h2-sessions';
import { sendHttpsRedirect } from './https-redirect';
import { bindKey, listenerKey } from './listener-key';
import { configureListenerServer, createListenerServer, netServer, type ListenerServer } from './listener-server';
import { answerReady, READY_PATH } from './ready-endpoint';
import { h2RequestHeadError, rejectRequest, requestHeadError, type AnyResponse } from './request-head';

/** A listener as opened: its name and the address and port it is bound to. */
export interface BoundListener {
  readonly name: string;
  readonly address: string;
  /** The bound port (the one the OS chose when the spec said 0). */
  readonly port: number;
}

/** One open server. `name`, `spec` and `tls` change when a reload keeps the server (see `listenerKey`). */
export interface Listener extends BoundListener {
  readonly key: string;
  readonly server: ListenerServer;
  name: string;
  address: string;
  port: number;
  spec: ListenerSpec;
  /** The certificate store handshakes use (TLS listeners); swapped at commit. */
  tls: ListenerTls | null;
  /** HTTP/2 sessions (TLS and h2c listeners). */
  readonly sessions: H2Sessions | null;
  /** Set when closing or draining: responses then carry `Connection: close`. */
  closing: boolean;
}

/** Options of a `ListenerSet`. */
export interface ListenerSetOptions {
  /** Serves a request that is not for the internal mux; `listener` is the listener's name. */
  readonly onRequest: (listener: string, req: IncomingMessage, res: ServerResponse) => void;
  /** The committed version when the worker is ready to serve, else null (readiness probe). */
  readonly readiness: () => string | null;
  /** Requests in flight across all listeners; `drain` waits for it to reach 0. */
  readonly inFlight: () => number;
  /** Response class of HTTP/1.1 requests (the proxy's `ProxyResponse`). Default Node's. */
  readonly serverResponse?: typeof ServerResponse;
  /** Response class of HTTP/2 requests (the proxy's `H2ProxyResponse`). Default Node's. */
  readonly http2ServerResponse?: typeof Http2ServerResponse;
  /** Told of every client connection opened and closed (the connections gauge). Default none. */
  readonly connections?: ConnectionObserver;
  /** Told of HTTP/2 clients sent GOAWAY for abuse and of failed TLS handshakes. Default none. */
  readonly edge?: EdgeObserver;
  /** Monotonic milliseconds for the rapid-reset windows. Default `performance.now`. */
  readonly now?: () => number;
  /**
   * Serves an HTTP/1.1 `Upgrade` request (WebSocket): Node hands over the socket and the bytes
   * read past the head. Called after the same head checks as `onRequest`. Default: none, and
   * Node then answers upgrades as ordinary requests.
   */
  readonly onUpgrade?: (listener: string, req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** Counts client connections; `DataplaneMetrics` satisfies it. */
export interface ConnectionObserver {
  connectionOpened(): void;
  connectionClosed(): void;
}

/** Counts edge-protocol events; `DataplaneMetrics` satisfies it. */
export interface EdgeObserver extends Http2Observer {
  tlsHandshakeFailed(): void;
}

/** How often `drain` re-checks the in-flight count, and `close` sweeps idle connections. */
const POLL_MS = 10;
const IDLE_SWEEP_MS = 250;

/**
 * The worker's servers, keyed by `listenerKey` (protocol and bind address, see there for why
 * not the whole spec). A listener speaks HTTP/1.1, HTTPS (h2 and/or HTTP/1.1 chosen by ALPN,
 * certificates by SNI from its `ListenerTls`) or h2c (`createListenerServer`). Each server
 * applies its listener's limits, answers parse errors with the JSON error shape
 * (`clientError`), answers requests whose head is unacceptable (`requestHeadError`, or
 * `h2RequestHeadError` for HTTP/2; an `Expect` other than 100-continue: 417; `CONNECT`: 501) with
 * the same shape, serves the internal readiness path (`GET /__weir/ready`), redirects to HTTPS
 * when the listener says so, and passes every other request to `onRequest` with its listener's
 * name, whichever protocol it came on.
 *
 * Under node:cluster, `listen` in a worker asks the primary for a shared handle, so every worker
 * serves the same address and port; with port 0 all workers share the one port the primary
 * picked.
 */
export class ListenerSet {
  private readonly options: ListenerSetOptions;
  private readonly listeners = new Map<string, Listener>();
  /** Listeners closed but with connections still open. */
  private readonly closing = new Set<Listener>();
  /** `connection` listener shared by every server; null without an observer. */
  private readonly onConnection: ((socket: Socket) => void) | null;
  private readonly now: () => number;

  constructor(options: ListenerSetOptions) {
    this.options = options;
    this.now = options.now ?? performanceNow;
    const observer = options.connections;
    if (observer === undefined) {
      this.onConnection = null;
    } else {
      // One close listener for all sockets: per connection, not per request, and no closure each.
      const onClose = (): void => observer.connectionClosed();
      this.onConnection = (socket: Socket): void => {
        observer.connectionOpened();
        socket.on('close', onClose);
      };
    }
  }

  /** The open listener for a spec's key, if any. */
  get(key: string): Listener | undefined {
    return this.listeners.get(key);
  }

  /** Every open listener. */
  list(): Listener[] {
    return [...this.listeners.values()];
  }

  /**
   * Opens a server for `spec` (with its certificate store when it is a TLS listener) and
   * resolves once it listens. Rejects with WEIR_ERR_LISTEN (cause: the system error, e.g.
   * EADDRINUSE) when it cannot bind or a server with the same key is already open.
   */
  async open(spec: ListenerSpec, tls: ListenerTls | null = null): Promise<BoundListener> {
    const key = listenerKey(spec);
    if (this.listeners.has(key)) {
      throw new WeirError('WEIR_ERR_LISTEN', `listener ${spec.name} (${spec.address}:${spec.port}) is already open`);
    }
    this.refuseProtocolChange(spec);
    if (spec.protocol === 'tls' && tls === null) {
      throw new WeirError('WEIR_ERR_LISTEN', `listener ${spec.name} is a TLS listener without certificates`);
    }
    let listener: Listener | null = null;
    const server = createListenerServer(spec, tls, () => (listener === null ? tls : listener.tls), {
      ...(this.options.serverResponse === undefined ? {} : { http1: this.options.serverResponse }),
      ...(this.options.http2ServerResponse === undefined ? {} : { http2: this.options.http2ServerResponse }),
    });
    const sessions = spec.protocol === 'http1' ? null : new H2Sessions(spec.http2, this.options.edge ?? null, this.now);
    listener = { key, server, name: spec.name, spec, tls, sessions, address: spec.address, port: spec.port, closing: false };
    this.hook(listener);
    configureListenerServer(server, spec, tls);
    try {
      await listen(server, spec);
    } catch (err) {
      netServer(server).close();
      throw new WeirError('WEIR_ERR_LISTEN', `cannot listen on ${spec.address}:${spec.port} for ${spec.name}`, { cause: err });
    }
    const bound = netServer(server).address() as AddressInfo;
    listener.address = bound.address;
    listener.port = bound.port;
    this.listeners.set(key, listener);
    return { name: listener.name, address: listener.address, port: listener.port };
  }

  /**
   * A listener whose protocol changes on the same address and port cannot be opened while the
   * old server holds the socket (and closing it first would drop its connections if the apply
   * then failed): refused with a message that says how to do it in two applies, rather than
   * the bare EADDRINUSE the bind would give.
   */
  private refuseProtocolChange(spec: ListenerSpec): void {
    const at = bindKey(spec);
    for (const open of this.listeners.values()) {
      if (bindKey(open.spec) === at && open.spec.protocol !== spec.protocol) {
        throw new WeirError(
          'WEIR_ERR_LISTEN',
          `listener ${spec.name} changes protocol from ${open.spec.protocol} to ${spec.protocol} on ${spec.address}:${spec.port}; ` +
            'a socket cannot change protocol in place: remove the listener in one apply and add it back in the next, or use another port',
        );
      }
    }
  }

  /** Every event handler of a new listener's server. */
  private hook(listener: Listener): void {
    const server = listener.server as HttpServer;
    const l = listener;
    server.on('clientError', onClientError);
    if (this.onConnection !== null) server.on('connection', this.onConnection);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(l, req, res));
    // Node answers an `Expect` other than 100-continue with a bare 417 unless this is listened to.
    server.on('checkExpectation', onCheckExpectation);
    // Without a listener Node cuts a CONNECT request's connection without an answer.
    server.on('connect', onConnect);
    const edge = this.options.edge;
    if (listener.spec.protocol === 'tls') {
      if (edge !== undefined) server.on('tlsClientError', () => edge.tlsHandshakeFailed());
      // Optional client certificates (`clientAuth.required: false`): OpenSSL must not refuse a
      // handshake without one, so verification failures are not fatal to it either; a client
      // that presents a certificate the CA does not vouch for is refused here (nginx's
      // `ssl_verify_client optional` answers it 400; closing before any request is stricter).
      server.prependListener('secureConnection', (socket: TLSSocket) => {
        const store = l.tls;
        if (store === null || !store.requestCert || store.rejectUnauthorized || socket.authorized) return;
        if (socket.getPeerCertificate().raw === undefined) return;
        if (edge !== undefined) edge.tlsHandshakeFailed();
        socket.destroy();
      });
    }
    if (listener.sessions !== null) listener.sessions.attach(listener.server as never);
    const onUpgrade = this.options.onUpgrade;
    if (onUpgrade !== undefined) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const invalid = requestHeadError(req);
        if (invalid !== null) {
          rejectUpgrade(socket, invalid);
          return;
        }
        onUpgrade(l.name, req, socket, head);
      });
    }
  }

  /**
   * Gives a kept server its new listener name, limits and certificate store (a reload; see
   * `listenerKey`). Handshakes and connections that start afterwards use them.
   */
  configure(spec: ListenerSpec, tls: ListenerTls | null = null): void {
    const listener = this.listeners.get(listenerKey(spec));
    if (listener === undefined) return;
    listener.name = spec.name;
    listener.spec = spec;
    listener.tls = tls;
    if (listener.sessions !== null) listener.sessions.settings = spec.http2;
    configureListenerServer(listener.server, spec, tls);
  }

  /**
   * Closes one listener gracefully: stops accepting, closes idle keep-alive connections, sends
   * HTTP/2 sessions GOAWAY, and lets requests in flight finish (HTTP/1.1 responses carry
   * `Connection: close`). HTTP/1.1 connections that turn idle later are swept every 250 ms.
   * Resolves when the last connection is gone.
   */
  close(key: string): Promise<void> {
    const listener = this.listeners.get(key);
    if (listener === undefined) return Promise.resolve();
    this.listeners.delete(key);
    listener.closing = true;
    const server = listener.server;
    this.closing.add(listener);
    return new Promise((resolve) => {
      const sweep = setInterval(closeIdle, IDLE_SWEEP_MS, server);
      sweep.unref();
      netServer(server).close(() => {
        clearInterval(sweep);
        this.closing.delete(listener);
        resolve();
      });
      closeIdle(server);
      if (listener.sessions !== null) listener.sessions.closeAll();
    });
  }

  /**
   * Shuts every listener down (SIGTERM): stop accepting, close idle connections, answer with
   * `Connection: close` (HTTP/2: GOAWAY), wait until no request is in flight or `timeoutMs`
   * passed, then close every remaining connection. The in-flight count is polled every 10 ms:
   * drain runs once per process, and polling keeps the request path free of drain bookkeeping.
   */
  async drain(timeoutMs: number): Promise<void> {
    const closed = [...this.listeners.keys()].map((key) => this.close(key));
    const deadline = Date.now() + timeoutMs;
    const inFlight = this.options.inFlight;
    while (inFlight() > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
    // Every listener closing by now, including listeners a reload removed earlier.
    for (const listener of this.closing) {
      closeAll(listener.server);
      if (listener.sessions !== null) listener.sessions.destroyAll();
    }
    await Promise.all(closed);
  }

  private handle(listener: Listener, req: IncomingMessage, res: ServerResponse): void {
    if (listener.closing) res.shouldKeepAlive = false;
    // Only TLS and h2c listeners receive HTTP/2 requests: plain ones skip the class check.
    const invalid = listener.spec.protocol !== 'http1' && req instanceof H2Request ? h2RequestHeadError(req) : requestHeadError(req);
    if (invalid !== null) {
      rejectRequest(res, invalid);
      return;
    }
    if (req.url === READY_PATH) {
      answerReady(res, listener.closing ? null : this.options.readiness());
      return;
    }
    const redirect = listener.spec.httpsRedirect;
    if (redirect !== null) {
      if (!sendHttpsRedirect(req, res, redirect, req.headers.host)) rejectRequest(res, 'WEIR_ERR_BAD_REQUEST');
      return;
    }
    this.options.onRequest(listener.name, req, res);
  }
}

/**
 * `checkExpectation`: an HTTP/1.1 request whose `Expect` is not 100-continue (RFC 9110 section
 * 10.1.1 allows 417). Node emits it instead of `request`, so the head checks run here too: a
 * request without `Host` is a 400 whatever it expects.
 */
function onCheckExpectation(req: IncomingMessage, res: ServerResponse): void {
  rejectRequest(res, requestHeadError(req) ?? 'WEIR_ERR_EXPECTATION_FAILED');
}

/**
 * `connect`: a `CONNECT` request (HTTP/1.1: Node hands over the socket; HTTP/2 on a TLS or h2c
 * listener: a request and response). Weir is a reverse proxy, not a forward tunnel: 501.
 */
function onConnect(req: IncomingMessage, socketOrResponse: Duplex | AnyResponse): void {
  if (req instanceof H2Request) {
    rejectRequest(socketOrResponse as AnyResponse, 'WEIR_ERR_METHOD_NOT_IMPLEMENTED');
    return;
  }
  rejectUpgrade(socketOrResponse as Duplex, 'WEIR_ERR_METHOD_NOT_IMPLEMENTED');
}

/** Answers an upgrade (or CONNECT) request that cannot be served and closes its socket. */
function rejectUpgrade(socket: Duplex, code: ErrorCode): void {
  if (socket.writable) socket.end(rawErrorResponse(code));
  else socket.destroy();
}

/** Closes idle HTTP/1.1 connections (plain listeners, and HTTPS with HTTP/1.1 allowed). */
function closeIdle(server: ListenerServer): void {
  const s = server as { closeIdleConnections?: () => void };
  if (typeof s.closeIdleConnections === 'function') s.closeIdleConnections();
}

/** Closes every HTTP/1.1 connection Node tracks for the server (the drain deadline passed). */
function closeAll(server: ListenerServer): void {
  if (server instanceof HttpServer) {
    server.closeAllConnections();
    return;
  }
  // HTTPS with HTTP/1.1 allowed tracks its HTTP/1.1 connections like http.Server does.
  const tracked = server as unknown as { closeIdleConnections?: () => void };
  if (typeof tracked.closeIdleConnections === 'function') {
    try {
      HttpServer.prototype.closeAllConnections.call(server as unknown as HttpServer);
    } catch {
      // Not tracking (no HTTP/1.1 on this listener): sessions are destroyed by the caller.
    }
  }
}

function listen(server: ListenerServer, spec: ListenerSpec): Promise<void> {
  const s = netServer(server);
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      s.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      s.off('error', onError);
      resolve();
    };
    s.once('error', onError);
    s.once('listening', onListening);
    s.listen({ host: spec.address, port: spec.port });
  });
}

function performanceNow(): number {
  return performance.now();
}
