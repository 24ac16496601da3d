import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { catalogue, type ErrorCode } from '@weir/errors';
import type { HttpsRedirectSpec } from '@weir/runtime';
import type { RouteRuntime, RouteTarget } from '../assemble/index';
import { NO_ENDPOINT, NO_HASH } from '../balancer/index';
import { ADMIT_DENIED, LIMIT_OK } from '../breaker/index';
import { OUTCOME_LOCAL_FAILURE, outcomeOfStatus } from '../outlier/index';
import {
  copyRequestHeaders,
  copyResponseHeaders,
  findHost,
  redirectMetric,
  REQUEST_HAS_BODY,
  routeRequest,
  upstreamErrorCode,
  wantsHttps,
  prebuiltError,
  declaredBodyLength,
  runGuard,
  GuardedRequest,
  type GuardOwner,
  type RoutedRequest,
} from '../proxy/index';
import type { EndpointState } from '../registry/index';
import { sendHttpsRedirect, type AnyResponse } from '../server/index';
import { asksForWebSocket, CapturedHead, findUpgrade, rawResponseHead } from './raw-head';
import { Tunnel, type TunnelOwner } from './tunnel';
import type { PluginReply } from '@weir/plugins';
import { TunnelEndings } from './tunnel-endings';
import { destroySocket, onOpeningClose, onOpeningDrain, type OpeningSocket } from './tunnel-state';

/** Passed to `controller.abort()` when the client left during the handshake. */
const CLIENT_GONE = Object.assign(new Error('client closed the connection'), { code: 'WEIR_ERR_CLIENT_ABORTED' });

/** Status recorded for a handshake whose client left first (nginx's 499). */
const CLIENT_ABORTED_STATUS = catalogue.WEIR_ERR_CLIENT_ABORTED.status;

/** Extra lines of a relayed 101: the upgrade itself (copyResponseHeaders drops hop-by-hop fields). */
const UPGRADE_LINES: readonly string[] = Object.freeze(['connection', 'upgrade', 'upgrade', 'websocket']);

/** Extra line of every other answer on an upgrade connection: it cannot carry another request. */
const CLOSE_LINES: readonly string[] = Object.freeze(['connection', 'close']);

/**
 * One `Upgrade` request (WebSocket) from its head to the upstream's answer: routing, admission,
 * the upgrade dispatched through the endpoint's undici pool, then either a `Tunnel` (101) or the
 * upstream's refusal relayed to the client (any other status) on the bare socket Node handed over.
 * All of its state is in this one object, which is also the undici dispatch handler.
 *
 * ```
 *  start ── route? ──no──> 404 WEIR_ERR_NO_ROUTE ───────────────────────────────────┐
 *             │ httpsRedirect on a plain listener ──> its 30x, Connection: close ───┤
 *             │ direct ──> the route's direct response, Connection: close ───────────┤
 *             │ not websocket, or upgrades.websocket false ─> 403 UPGRADE_REFUSED ───┤
 *             │ request with a body ──> 400 WEIR_ERR_BAD_REQUEST ────────────────────┤
 *             └ plan.pick -> limits.tryAcquireRequest ─full─> 503 OVERFLOW ──────────┤
 *               breaker.allow ─open─> 503 BREAKER_OPEN; balancer.pick ─none─> 503 ───┤
 *               pool.dispatch({ upgrade: 'websocket' }, this)                        │
 *                 onRequestUpgrade (101)  -> 101 relayed, Tunnel.start ── tunnel ──> release
 *                 onResponseStart (other) -> status + headers relayed, Connection: close
 *                 onResponseData / End    -> body relayed, socket ended ──────────────┤
 *                 onResponseError         -> before a response: 502/504 JSON ─────────┤
 *             client socket 'close' before the answer -> abort upstream, 499 ────────┤
 *                                             settle(): metrics; release (limits, runtime)
 * ```
 *
 * An established tunnel keeps the runtime, the upstream's request permit and the endpoint's
 * load until it ends (`onTunnelEnd`): a tunnel is a request in flight to its upstream for its
 * whole life (Envoy counts upgrades the same way), so least-request balancing spreads
 * long-lived connections and `circuitBreaker.maxRequests` bounds them, and a config apply never
 * cuts it: its runtime retires only after the tunnel ends.
 *
 * The state is `TunnelState` (tunnel-state.ts) and the endings `TunnelEndings`
 * (tunnel-endings.ts), layered under this class on the same instance; the decisions it acts on
 * live in the balancer, breaker, outlier and limits modules.
 */
export class TunnelExchange extends TunnelEndings implements Dispatcher.DispatchHandler, TunnelOwner, RoutedRequest, GuardOwner {
  /** Routes the upgrade and refuses it or sends it upstream. */
  start(): void {
    const socket = this.socket as OpeningSocket;
    socket.weirOpening = this;
    socket.on('close', onOpeningClose);
    const route = routeRequest(this.runtime, this.listener, this.req, this);
    if (typeof route === 'string') {
      if (route === 'WEIR_ERR_NO_ROUTE') this.metric = this.runtime.noRouteMetric;
      this.refuse(route);
      return;
    }
    this.route = route;
    if (wantsHttps(route, this)) {
      this.redirectToHttps(route, route.httpsRedirect as HttpsRedirectSpec);
      return;
    }
    const direct = route.direct;
    if (direct !== null) {
      // A direct route answers every request alike, upgrade or not (a maintenance page, a redirect).
      this.metric = route.metric;
      this.answer(direct.status, Buffer.concat([rawResponseHead(direct.status, direct.headers, CLOSE_LINES), direct.body]));
      return;
    }
    const upgrade = findUpgrade(this.req.rawHeaders);
    if (!route.upgrades.websocket || upgrade === null || !asksForWebSocket(upgrade)) {
      this.metric = (route.targets[0] as RouteTarget).metric;
      this.refuse('WEIR_ERR_UPGRADE_REFUSED');
      return;
    }
    if (route.plugins !== null || route.limits !== null) {
      // An upgrade passes the route's plugins and limits like any request: authentication
      // cannot be skipped by asking for a WebSocket.
      const req = this.req;
      const headers: string[] = [];
      this.headerFlags = copyRequestHeaders(req.rawHeaders, headers, this.remoteAddress, this.hostOverride, this.secure ? 'https' : 'http');
      const host = this.hostOverride ?? findHost(req.rawHeaders) ?? '';
      const g = new GuardedRequest(req.method as string, host, this.clientAddress(), this.secure, this.path, headers, req.rawHeaders);
      this.guarded = g;
      runGuard(this, route, g, declaredBodyLength(req.rawHeaders));
      return;
    }
    this.forward(route);
  }

  /** The client address after trusted proxies. */
  private clientAddress(): string {
    return this.runtime.clientAddressOf(this.remoteAddress, this.req.rawHeaders);
  }

  /** `GuardOwner`: plugins continued, limits admitted: open the tunnel. */
  guardPassed(): void {
    this.path = (this.guarded as GuardedRequest).path;
    this.forward(this.route as RouteRuntime);
  }

  /** `GuardOwner`: a limit refused the upgrade. */
  guardRefused(code: ErrorCode, headers: readonly string[] | null): void {
    this.metric = redirectMetric(this.route as RouteRuntime);
    this.refuseWith(code, headers);
  }

  /** `GuardOwner`: a plugin answered the upgrade itself. */
  guardReplied(reply: PluginReply): void {
    this.metric = redirectMetric(this.route as RouteRuntime);
    if (reply.code !== null) {
      this.refuseWith(reply.code, reply.headers);
      return;
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    const headers = reply.headers.concat(['content-length', String(body.length)]);
    this.answer(reply.status, Buffer.concat([rawResponseHead(reply.status, headers, CLOSE_LINES), body]));
  }

  /** The JSON error for `code` with `extra` headers (WWW-Authenticate, Retry-After) on the bare socket. */
  private refuseWith(code: ErrorCode, extra: readonly string[] | null): void {
    const g = this.guarded;
    const more = g === null || g.responseHeaders === null ? extra : (extra ?? []).concat(g.responseHeaders);
    if (more === null || more.length === 0) {
      this.refuse(code);
      return;
    }
    const e = prebuiltError(code);
    this.answer(e.status, Buffer.concat([rawResponseHead(e.status, e.headers.concat(more), CLOSE_LINES), e.body]), code);
  }

  /** A route that wants HTTPS, reached over plain HTTP: the same 30x as ordinary requests get. */
  private redirectToHttps(route: RouteRuntime, redirect: HttpsRedirectSpec): void {
    this.metric = redirectMetric(route);
    const head = new CapturedHead();
    if (!sendHttpsRedirect(this.req, head as unknown as AnyResponse, redirect, this.hostOverride ?? findHost(this.req.rawHeaders))) {
      this.refuse('WEIR_ERR_BAD_REQUEST');
      return;
    }
    this.answer(head.status, rawResponseHead(head.status, head.headers, CLOSE_LINES));
  }

  private forward(route: RouteRuntime): void {
    // Overrides and sticky keys pick the upstream of an upgrade too; mirrors and faults apply to
    // ordinary requests only (a tunnel cannot be copied or replayed).
    const traffic = route.traffic;
    const t =
      traffic !== null && traffic.chooser !== null
        ? traffic.chooser.choose(this.req.rawHeaders, this.clientAddress(), this.guarded === null ? null : this.guarded.claims)
        : route.plan === null
          ? 0
          : route.plan.pick();
    const routeTarget = route.targets[t] as RouteTarget;
    this.target = routeTarget;
    this.metric = routeTarget.metric;
    const req = this.req;
    const guarded = this.guarded;
    const headers: string[] = guarded === null ? [] : guarded.headers;
    const flags =
      guarded === null ? copyRequestHeaders(req.rawHeaders, headers, this.remoteAddress, this.hostOverride, this.secure ? 'https' : 'http') : this.headerFlags;
    if ((flags & REQUEST_HAS_BODY) !== 0) {
      // An upgrade request carries no body (RFC 6455 section 4.1: a GET); the bytes after the
      // head belong to the new protocol, so a body here cannot be told from them.
      this.refuse('WEIR_ERR_BAD_REQUEST');
      return;
    }
    const upstream = routeTarget.upstream;
    if (upstream.pools.length === 0) {
      this.refuse('WEIR_ERR_NO_ENDPOINT');
      return;
    }
    if (upstream.limits.tryAcquireRequest() !== LIMIT_OK) {
      this.refuse('WEIR_ERR_UPSTREAM_OVERFLOW');
      return;
    }
    this.admitted = true;
    const breaker = upstream.breaker;
    if (breaker !== null) {
      const admission = breaker.allow();
      if (admission === ADMIT_DENIED) {
        this.refuse('WEIR_ERR_BREAKER_OPEN');
        return;
      }
      this.admission = admission;
    }
    const hash = upstream.hasher === null ? NO_HASH : upstream.hasher.hash(req.rawHeaders, this.clientAddress());
    const e = upstream.balancer === null ? 0 : upstream.balancer.pick(hash, null);
    if (e === NO_ENDPOINT) {
      this.refuse('WEIR_ERR_NO_ENDPOINT');
      return;
    }
    this.endpoint = e;
    const state = upstream.states[e] as EndpointState;
    state.active++;
    this.endpointState = state;
    upstream.limits.pendingStart();
    this.pending = true;
    upstream.pools[e]!.dispatch(
      {
        method: req.method as Dispatcher.HttpMethod,
        path: this.path,
        headers,
        upgrade: 'websocket',
        headersTimeout: routeTarget.headersTimeout,
      },
      this,
    );
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.leaveQueue();
    this.controller = controller;
    if (this.clientGone || this.settled) controller.abort(CLIENT_GONE);
  }

  onRequestUpgrade(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    this.leaveQueue();
    const upstream = (this.target as RouteTarget).upstream;
    if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, outcomeOfStatus(statusCode));
    this.recordBreaker(upstream, true);
    const client = this.socket as OpeningSocket;
    if (this.settled || this.clientGone || !client.writable) {
      socket.destroy();
      if (!this.settled) this.settle(CLIENT_ABORTED_STATUS, 'WEIR_ERR_CLIENT_ABORTED');
      this.release();
      return;
    }
    if (this.handler.tunnels.closing) {
      // The drain deadline passed while the upstream was answering: no new tunnel.
      socket.destroy();
      this.refuse('WEIR_ERR_DRAINING');
      return;
    }
    client.off('close', onOpeningClose);
    client.weirOpening = undefined;
    this.status = statusCode;
    this.settle(statusCode, null);
    client.write(rawResponseHead(statusCode, copyResponseHeaders(headers), UPGRADE_LINES));
    const route = this.route as RouteRuntime;
    const handler = this.handler;
    const tunnel = new Tunnel(route.name, client, socket, this, handler.tunnelMetrics === null ? null : handler.tunnelMetrics.opened(route.name), handler.onTunnelClosed);
    this.tunnel = tunnel;
    handler.tunnels.add(tunnel);
    tunnel.start(this.head, route.upgrades.idleTimeoutMs, route.upgrades.maxLifetimeMs);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.settled) return;
    const upstream = (this.target as RouteTarget).upstream;
    if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, outcomeOfStatus(statusCode));
    this.recordBreaker(upstream, statusCode < 500);
    // The upstream declined to switch protocols (400, 403, 426, ...): its answer goes to the
    // client as sent, then the connection closes (the client is not expecting HTTP on it).
    this.status = statusCode;
    if (!this.socket.write(rawResponseHead(statusCode, copyResponseHeaders(headers), CLOSE_LINES))) this.waitForClient(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (!this.socket.write(chunk)) this.waitForClient(controller);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.socket.end();
    this.socket.once('finish', destroySocket);
    this.settle(this.status, null);
    this.release();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.settled) return;
    if (this.clientGone) {
      this.settle(CLIENT_ABORTED_STATUS, 'WEIR_ERR_CLIENT_ABORTED');
      this.release();
      return;
    }
    const code = upstreamErrorCode(err);
    const upstream = (this.target as RouteTarget).upstream;
    if (catalogue[code].source === 'upstream') {
      if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, OUTCOME_LOCAL_FAILURE);
      this.recordBreaker(upstream, false);
      const metrics = this.handler.metrics;
      if (metrics !== null) metrics.upstreamError(upstream.name, code);
    }
    if (this.status !== 0) {
      // The upstream's refusal broke off mid-body: only a cut connection says so now.
      this.socket.destroy();
      this.settle(this.status, code);
      this.release();
      return;
    }
    this.refuse(code);
  }

  /** The client socket closed before the upstream answered (or during a relayed refusal). */
  onClientClose(): void {
    if (this.settled) return;
    this.clientGone = true;
    const controller = this.controller;
    this.settle(this.status === 0 ? CLIENT_ABORTED_STATUS : this.status, 'WEIR_ERR_CLIENT_ABORTED');
    if (controller !== null) controller.abort(CLIENT_GONE);
    // Queued in the pool: the abort comes with onRequestStart, and release with it below.
    this.release();
  }

  /** The client caught up with a relayed refusal's body. */
  onClientDrain(): void {
    const controller = this.controller;
    if (controller !== null && !this.settled) controller.resume();
  }

  /** `TunnelOwner`: the tunnel's connections are both closed. */
  onTunnelEnd(): void {
    this.release();
  }

  private waitForClient(controller: Dispatcher.DispatchController): void {
    controller.pause();
    this.socket.once('drain', onOpeningDrain);
  }
}
