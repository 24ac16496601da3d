import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessLog, DataplaneMetrics, TunnelMetrics } from '@weir/obs';
import type { ErrorCode } from '@weir/errors';
import { copyRequestHeaders, REQUEST_HAS_BODY, type RuntimeSource } from '../proxy/index';
import { rawErrorResponse } from '../server/index';
import { servePlainUpgrade, type PlainRequestHandler } from './plain-upgrade';
import { asksForWebSocket, findUpgrade } from './raw-head';
import type { Tunnel } from './tunnel';
import { TunnelExchange } from './tunnel-exchange';
import { TunnelRegistry } from './tunnel-registry';

/** Options of a `TunnelHandler`. */
export interface TunnelHandlerOptions {
  /** Where upgrades get their runtime: the data plane's, shared with `ProxyHandler`. */
  readonly runtimes: RuntimeSource;
  /** Request metrics (the handshake counts as one request); null or absent records none. */
  readonly metrics?: DataplaneMetrics | null;
  /** Tunnel metrics (open, ended, bytes); null or absent records none. */
  readonly tunnelMetrics?: TunnelMetrics | null;
  /**
   * Where the access log is read from when a record is written: the data plane's `ProxyHandler`,
   * whose field it swaps when a commit turns the log on or off. Default: no access log.
   */
  readonly accessLogs?: { readonly accessLog: AccessLog | null };
  /**
   * Serves an upgrade to a protocol other than WebSocket as an ordinary request (the data
   * plane's `ProxyHandler`). Default: none, and such requests get 403 WEIR_ERR_UPGRADE_REFUSED.
   */
  readonly plain?: PlainRequestHandler;
  /** Told about an unexpected exception while opening a tunnel (a bug). Default: ignored. */
  readonly onInternalError?: (err: unknown) => void;
}

/**
 * The entry point of `Upgrade` requests (the listeners' `onUpgrade`), one per data plane: it
 * holds what every tunnel shares (runtime source, metrics, the registry of open tunnels, drain
 * state) and starts one `TunnelExchange` per upgrade request.
 *
 * Unlike ordinary requests, an upgrade that arrives before the first commit is not held: it is
 * answered 503 WEIR_ERR_NOT_READY at once (a WebSocket client reconnects; holding a socket
 * Node has already detached from its HTTP parser would need its own timeout bookkeeping). While
 * the data plane drains, new upgrades get 503 WEIR_ERR_DRAINING: a tunnel opened then would be
 * cut at the drain timeout anyway.
 */
export class TunnelHandler {
  readonly runtimes: RuntimeSource;
  readonly metrics: DataplaneMetrics | null;
  readonly tunnelMetrics: TunnelMetrics | null;
  readonly onInternalError: (err: unknown) => void;
  private readonly accessLogs: { readonly accessLog: AccessLog | null } | null;
  private readonly plain: PlainRequestHandler | null;
  /** The open tunnels (drain closes them). */
  readonly tunnels: TunnelRegistry;
  /** Set by the data plane's drain: new upgrades are refused. */
  draining: boolean;
  /** Passed to every tunnel: removes it from the registry when it ends (bound once). */
  readonly onTunnelClosed: (tunnel: Tunnel) => void;

  constructor(options: TunnelHandlerOptions) {
    this.runtimes = options.runtimes;
    this.metrics = options.metrics ?? null;
    this.tunnelMetrics = options.tunnelMetrics ?? null;
    this.onInternalError = options.onInternalError ?? ignore;
    this.accessLogs = options.accessLogs ?? null;
    this.plain = options.plain ?? null;
    this.tunnels = new TunnelRegistry();
    this.draining = false;
    const tunnels = this.tunnels;
    this.onTunnelClosed = (tunnel: Tunnel): void => tunnels.delete(tunnel);
  }

  /** The access log, or null when disabled (then no record is built). */
  get accessLog(): AccessLog | null {
    return this.accessLogs === null ? null : this.accessLogs.accessLog;
  }

  /**
   * Serves one upgrade request that arrived on listener `listener` (its name): `socket` is the
   * client connection Node detached from its HTTP parser, `head` the bytes read past the
   * request head.
   */
  handle(listener: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node removed its own error listener when it handed the socket over: without one, a reset
    // during the handshake would crash the worker. The 'close' that follows does the cleanup.
    socket.on('error', ignore);
    const upgrade = findUpgrade(req.rawHeaders);
    if (this.plain !== null && (upgrade === null || !asksForWebSocket(upgrade))) {
      // Another protocol (h2c, ...): served as plain HTTP/1.1 when it has no body to read.
      if (hasBody(req)) refuse(socket, 'WEIR_ERR_UPGRADE_REFUSED');
      else servePlainUpgrade(this.plain, listener, req, socket);
      return;
    }
    const runtimes = this.runtimes;
    if (this.draining) {
      refuse(socket, 'WEIR_ERR_DRAINING');
      return;
    }
    if (runtimes.current() === null) {
      refuse(socket, 'WEIR_ERR_NOT_READY');
      return;
    }
    const exchange = new TunnelExchange(this, listener, runtimes.acquire(req), req, socket, head);
    try {
      exchange.start();
    } catch (err) {
      exchange.crash(err);
    }
  }
}

/** Whether the request announces a body (`Content-Length` above 0 or `Transfer-Encoding`). */
function hasBody(req: IncomingMessage): boolean {
  return (copyRequestHeaders(req.rawHeaders, [], undefined, null) & REQUEST_HAS_BODY) !== 0;
}

/** Answers a socket with the JSON error for `code` and closes it once written. */
function refuse(socket: Duplex, code: ErrorCode): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(code));
  socket.once('finish', destroySocket);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function ignore(): void {
  // Errors are handled through the 'close' that follows.
}
