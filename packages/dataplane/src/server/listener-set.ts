import { createServer, type IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenerSpec } from '@weir/runtime';
import { WeirError, type ErrorCode } from '@weir/errors';
import { onClientError, rawErrorResponse } from './client-error';
import { listenerKey } from './listener-key';
import { answerReady, READY_PATH } from './ready-endpoint';
import { rejectRequest, requestHeadError } from './request-head';
import { applyListenerLimits, serverOptions } from './server-limits';

/** A listener as opened: its name and the address and port it is bound to. */
export interface BoundListener {
  readonly name: string;
  readonly address: string;
  /** The bound port (the one the OS chose when the spec said 0). */
  readonly port: number;
}

/** One open server. `name` and `spec` change when a reload keeps the server (see `listenerKey`). */
export interface Listener extends BoundListener {
  readonly key: string;
  readonly server: Server;
  name: string;
  address: string;
  port: number;
  spec: ListenerSpec;
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
  /** Response class for every server (the proxy's `ProxyResponse`). Default Node's. */
  readonly serverResponse?: typeof ServerResponse;
  /** Told of every client connection opened and closed (the connections gauge). Default none. */
  readonly connections?: ConnectionObserver;
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

/** How often `drain` re-checks the in-flight count, and `close` sweeps idle connections. */
const POLL_MS = 10;
const IDLE_SWEEP_MS = 250;

/**
 * The worker's HTTP servers, keyed by `listenerKey` (bind address, see there for why not the
 * whole spec). Each server applies its listener's limits, answers parse errors with the JSON
 * error shape (`clientError`), answers requests whose head is unacceptable (version, `Host`:
 * `requestHeadError`; an `Expect` other than 100-continue: 417) with the same shape, serves the
 * internal readiness path (`GET /__weir/ready`) and passes every other request to `onRequest`
 * with its listener's name. Every error a client gets before routing thus carries the
 * documented body and `x-weir-error` (apps/weir/docs/errors.md lists the two exceptions left:
 * `CONNECT`, and Node's 503 past `maxRequestsPerConnection`).
 *
 * Under node:cluster, `listen` in a worker asks the primary for a shared handle, so every worker
 * serves the same address and port; with port 0 all workers share the one port the primary
 * picked.
 */
export class ListenerSet {
  private readonly options: ListenerSetOptions;
  private readonly listeners = new Map<string, Listener>();
  /** Servers closed but with connections still open. */
  private readonly closing = new Set<Server>();
  /** `connection` listener shared by every server; null without an observer. */
  private readonly onConnection: ((socket: Socket) => void) | null;

  constructor(options: ListenerSetOptions) {
    this.options = options;
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
   * Opens a server for `spec` and resolves once it listens. Rejects with WEIR_ERR_LISTEN (cause:
   * the system error, e.g. EADDRINUSE) when it cannot bind or a server with the same key is
   * already open.
   */
  async open(spec: ListenerSpec): Promise<BoundListener> {
    const key = listenerKey(spec);
    if (this.listeners.has(key)) {
      throw new WeirError('WEIR_ERR_LISTEN', `listener ${spec.name} (${spec.address}:${spec.port}) is already open`);
    }
    const server = createServer({
      ...serverOptions(spec),
      ...(this.options.serverResponse === undefined ? {} : { ServerResponse: this.options.serverResponse }),
    });
    applyListenerLimits(server, spec);
    server.on('clientError', onClientError);
    if (this.onConnection !== null) server.on('connection', this.onConnection);
    const listener: Listener = { key, server, name: spec.name, spec, address: spec.address, port: spec.port, closing: false };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(listener, req, res));
    const onUpgrade = this.options.onUpgrade;
    if (onUpgrade !== undefined) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const invalid = requestHeadError(req);
        if (invalid !== null) {
          rejectUpgrade(socket, invalid);
          return;
        }
        onUpgrade(listener.name, req, socket, head);
      });
    }
    // Node answers an `Expect` other than 100-continue with a bare 417 unless this is listened to.
    server.on('checkExpectation', onCheckExpectation);
    try {
      await listen(server, spec);
    } catch (err) {
      server.close();
      throw new WeirError('WEIR_ERR_LISTEN', `cannot listen on ${spec.address}:${spec.port} for ${spec.name}`, { cause: err });
    }
    const bound = server.address() as AddressInfo;
    listener.address = bound.address;
    listener.port = bound.port;
    this.listeners.set(key, listener);
    return { name: listener.name, address: listener.address, port: listener.port };
  }

  /** Gives a kept server its new listener name and limits (a reload; see `listenerKey`). */
  configure(spec: ListenerSpec): void {
    const listener = this.listeners.get(listenerKey(spec));
    if (listener === undefined) return;
    listener.name = spec.name;
    listener.spec = spec;
    applyListenerLimits(listener.server, spec);
  }

  /**
   * Closes one listener gracefully: stops accepting, closes idle keep-alive connections, and
   * lets requests in flight finish (their responses carry `Connection: close`). Connections
   * that turn idle later are swept every 250 ms. Resolves when the last connection is gone.
   */
  close(key: string): Promise<void> {
    const listener = this.listeners.get(key);
    if (listener === undefined) return Promise.resolve();
    this.listeners.delete(key);
    listener.closing = true;
    const server = listener.server;
    this.closing.add(server);
    return new Promise((resolve) => {
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      sweep.unref();
      server.close(() => {
        clearInterval(sweep);
        this.closing.delete(server);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  /**
   * Shuts every listener down (SIGTERM): stop accepting, close idle connections, answer with
   * `Connection: close`, wait until no request is in flight or `timeoutMs` passed, then close
   * every remaining connection. The in-flight count is polled every 10 ms: drain runs once per
   * process, and polling keeps the request path free of drain bookkeeping.
   */
  async drain(timeoutMs: number): Promise<void> {
    const closed = [...this.listeners.keys()].map((key) => this.close(key));
    const deadline = Date.now() + timeoutMs;
    const inFlight = this.options.inFlight;
    while (inFlight() > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
    // Every server closing by now, including listeners a reload removed earlier.
    for (const server of this.closing) server.closeAllConnections();
    await Promise.all(closed);
  }

  private handle(listener: Listener, req: IncomingMessage, res: ServerResponse): void {
    if (listener.closing) res.shouldKeepAlive = false;
    const invalid = requestHeadError(req);
    if (invalid !== null) {
      rejectRequest(res, invalid);
      return;
    }
    if (req.url === READY_PATH) {
      answerReady(res, listener.closing ? null : this.options.readiness());
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

/** Answers an upgrade request that failed the head checks and closes its socket. */
function rejectUpgrade(socket: Duplex, code: ErrorCode): void {
  if (socket.writable) socket.end(rawErrorResponse(code));
  else socket.destroy();
}

function listen(server: Server, spec: ListenerSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: spec.address, port: spec.port });
  });
}
