import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
// Module binding rather than the lazily-defined `globalThis.performance` getter.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { catalogue, type ErrorCode } from '@weir/errors';
import type { AccessLog, RequestMetricHandle } from '@weir/obs';
import type { RouteRuntime, RouteTarget, WorkerRuntime } from '../assemble/index';
import { copyRequestHeaders, REQUEST_HAS_BODY } from './copy-request-headers';
import { copyResponseHeaders } from './copy-response-headers';
import { sendError } from './error-response';
import type { ProxyHandler } from './proxy-handler';
import { onResponseClose, onResponseDrain, type ProxyResponse, type ResponseOwner } from './proxy-response';
import { findHost, parseAbsoluteTarget } from './request-target';
import { upstreamErrorCode } from './upstream-error-code';

/** Passed to `controller.abort()` when the client left; only undici sees it. */
const CLIENT_GONE = Object.assign(new Error('client closed the connection'), { code: 'WEIR_ERR_CLIENT_ABORTED' });

/** Status recorded for an exchange whose client left before the response completed (nginx's 499). */
const CLIENT_ABORTED_STATUS = catalogue.WEIR_ERR_CLIENT_ABORTED.status;

/** Router headers argument for listeners without header matchers (see `ListenerRoutes`). */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({}) as IncomingHttpHeaders;

/**
 * One request through the proxy: all of its state in one object (STYLE.md rule 7), which is also
 * the undici dispatch handler of its upstream round trip.
 *
 * ```
 *  start ── route? ──no──> 404 WEIR_ERR_NO_ROUTE ─────────────────────────────┐
 *             │ direct ──> prebuilt status/headers/body ──────────────────────┤
 *             └ forward: plan.pick -> balancer.pick -> pool.dispatch(this)    │
 *                 onRequestStart(controller)   (abort now if the client left) │
 *                 onResponseStart -> writeHead (hop-by-hop out, Via in)       │
 *                 onResponseData  -> res.write; false => pause until 'drain'  │
 *                 onResponseEnd   -> res.end ─────────────────────────────────┤
 *                 onResponseError -> JSON error, or destroy if started ───────┤
 *             res 'close' before the end -> abort upstream, 499 ──────────────┤
 *                                                                   finish(): metrics, access
 *                                                                   log, release the runtime (once)
 * ```
 */
export class ProxyExchange implements Dispatcher.DispatchHandler, ResponseOwner {
  private readonly handler: ProxyHandler;
  private readonly listener: string;
  private readonly runtime: WorkerRuntime;
  private readonly req: IncomingMessage;
  private readonly res: ProxyResponse;
  private readonly startedAt: number;
  private route: RouteRuntime | null;
  private target: RouteTarget | null;
  private metric: RequestMetricHandle | null;
  private endpoint: number;
  private controller: Dispatcher.DispatchController | null;
  private status: number;
  private bytesSent: number;
  /** Counted in the in-flight gauge (forwarded requests only). */
  private counted: boolean;
  private drainHooked: boolean;
  /** The client connection closed before the response completed. */
  private clientGone: boolean;
  /** finish() ran: the runtime is released and every later callback is a no-op. */
  private done: boolean;

  constructor(handler: ProxyHandler, listener: string, runtime: WorkerRuntime, req: IncomingMessage, res: ProxyResponse) {
    this.handler = handler;
    this.listener = listener;
    this.runtime = runtime;
    this.req = req;
    this.res = res;
    this.startedAt = performance.now();
    this.route = null;
    this.target = null;
    this.metric = null;
    this.endpoint = -1;
    this.controller = null;
    this.status = 0;
    this.bytesSent = 0;
    this.counted = false;
    this.drainHooked = false;
    this.clientGone = false;
    this.done = false;
  }

  /** Routes the request and answers it or sends it upstream. */
  start(): void {
    const req = this.req;
    const url = req.url as string;
    let target = url;
    let hostOverride: string | null = null;
    let path: string;
    if (url.charCodeAt(0) === 0x2f) {
      const q = url.indexOf('?');
      path = q === -1 ? url : url.slice(0, q);
    } else {
      const absolute = parseAbsoluteTarget(url);
      if (absolute === null) {
        this.fail('WEIR_ERR_BAD_REQUEST');
        return;
      }
      target = absolute.target;
      hostOverride = absolute.host;
      const q = target.indexOf('?');
      path = q === -1 ? target : target.slice(0, q);
    }
    const routes = this.runtime.listeners.get(this.listener);
    const route =
      routes === undefined
        ? null
        : routes.router.match(
            hostOverride ?? findHost(req.rawHeaders),
            path,
            req.method as string,
            routes.needsHeaders ? req.headers : NO_HEADERS,
          );
    if (route === null) {
      this.metric = this.handler.noRouteMetric;
      this.fail('WEIR_ERR_NO_ROUTE');
      return;
    }
    this.route = route;
    const direct = route.direct;
    if (direct !== null) {
      this.metric = route.metric;
      const res = this.res;
      res.writeHead(direct.status, direct.headers as string[]);
      res.end(direct.body);
      this.bytesSent = direct.body.length;
      this.finish(direct.status, null);
      return;
    }
    this.forward(route, target, hostOverride);
  }

  private forward(route: RouteRuntime, target: string, hostOverride: string | null): void {
    const t = route.plan === null ? 0 : route.plan.pick();
    const routeTarget = route.targets[t] as RouteTarget;
    this.target = routeTarget;
    this.metric = routeTarget.metric;
    const upstream = routeTarget.upstream;
    const pools = upstream.pools;
    if (pools.length === 0) {
      this.fail('WEIR_ERR_NO_ENDPOINT');
      return;
    }
    const e = upstream.balancer === null ? 0 : upstream.balancer.pick();
    this.endpoint = e;
    const req = this.req;
    const headers: string[] = [];
    const flags = copyRequestHeaders(req.rawHeaders, headers, req.socket.remoteAddress, hostOverride);
    const res = this.res;
    res.exchange = this;
    res.on('close', onResponseClose);
    const metrics = this.handler.metrics;
    if (metrics !== null) metrics.inFlightInc();
    this.counted = true;
    pools[e]!.dispatch(
      {
        method: req.method as Dispatcher.HttpMethod,
        path: target,
        headers,
        body: (flags & REQUEST_HAS_BODY) === 0 ? null : req,
        headersTimeout: routeTarget.headersTimeout,
      },
      this,
    );
  }

  // --- undici DispatchHandler ------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // The client may have left while the request waited in the pool's queue.
    if (this.clientGone) controller.abort(CLIENT_GONE);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.done) return;
    this.status = statusCode;
    try {
      this.res.writeHead(statusCode, copyResponseHeaders(headers));
    } catch (err) {
      // Node refused a header the upstream sent (invalid name or value): the upstream broke
      // HTTP, and nothing was written yet.
      this.upstreamFailed('WEIR_ERR_UPSTREAM_PROTOCOL');
      controller.abort(err as Error);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.done) return;
    this.bytesSent += chunk.length;
    if (!this.res.write(chunk)) {
      // Backpressure: stop reading the upstream socket until the client drains. undici does
      // not count paused time against the body (idle) timeout.
      controller.pause();
      if (!this.drainHooked) {
        this.drainHooked = true;
        this.res.on('drain', onResponseDrain);
      }
    }
  }

  onResponseEnd(): void {
    if (this.done) return;
    this.res.end();
    this.finish(this.status, null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.done) return;
    if (this.clientGone) {
      this.finish(CLIENT_ABORTED_STATUS, 'WEIR_ERR_CLIENT_ABORTED');
      return;
    }
    this.upstreamFailed(upstreamErrorCode(err));
  }

  // --- client side -----------------------------------------------------------------------

  /** The response's `close` event: fires after a normal end too, when `done` is already set. */
  onClientClose(): void {
    if (this.done) return;
    this.clientGone = true;
    if (this.controller !== null) this.controller.abort(CLIENT_GONE);
    this.finish(CLIENT_ABORTED_STATUS, 'WEIR_ERR_CLIENT_ABORTED');
  }

  onClientDrain(): void {
    const controller = this.controller;
    if (controller !== null && !this.done) controller.resume();
  }

  // --- endings ---------------------------------------------------------------------------

  /** An exception escaped `start` (a bug): answer 500 if still possible, always finish. */
  crash(err: unknown): void {
    this.handler.onInternalError(err);
    if (this.done) return;
    if (this.res.headersSent) {
      this.res.destroy();
      this.finish(this.status === 0 ? 500 : this.status, 'WEIR_ERR_INTERNAL');
      return;
    }
    this.fail('WEIR_ERR_INTERNAL');
  }

  /** An upstream round trip failed: answer with the code's JSON error, or cut the response. */
  private upstreamFailed(code: ErrorCode): void {
    const metrics = this.handler.metrics;
    if (metrics !== null && catalogue[code].source === 'upstream' && this.target !== null) {
      metrics.upstreamError(this.target.upstream.name, code);
    }
    const res = this.res;
    if (res.headersSent) {
      // The status line is gone: the only honest signal left is a cut connection.
      res.destroy();
      this.finish(this.status, code);
      return;
    }
    this.fail(code);
  }

  /** Answers with the error for `code` (no response started yet) and finishes. */
  private fail(code: ErrorCode): void {
    const res = this.res;
    // A body the client is still sending would otherwise be read to its end by Node to keep
    // the connection reusable; close the connection instead (nginx does the same).
    if (!this.req.complete) res.shouldKeepAlive = false;
    const status = sendError(res, code);
    this.bytesSent = 0;
    this.finish(status, code);
  }

  /** Ends the exchange exactly once: metrics, access log, runtime release. */
  private finish(status: number, code: ErrorCode | null): void {
    if (this.done) return;
    this.done = true;
    this.res.exchange = null;
    const handler = this.handler;
    const seconds = (performance.now() - this.startedAt) / 1000;
    if (this.metric !== null) this.metric.observe(status, seconds);
    if (this.counted && handler.metrics !== null) handler.metrics.inFlightDec();
    if (handler.accessLog !== null) this.log(status, code, seconds);
    handler.runtimes.release(this.runtime);
  }

  /**
   * Writes the access-log record; only called when an access log is configured, so a worker
   * without one never builds it. `time` is when the request arrived, derived from the duration
   * rather than read per request.
   */
  private log(status: number, code: ErrorCode | null, seconds: number): void {
    const req = this.req;
    const target = this.target;
    const durationMs = seconds * 1000;
    (this.handler.accessLog as AccessLog).write({
      time: Date.now() - durationMs,
      method: req.method ?? '',
      path: req.url ?? '',
      host: findHost(req.rawHeaders) ?? '',
      status,
      route: this.route === null ? '' : this.route.name,
      upstream: target === null ? '' : target.upstream.name,
      endpoint: target === null || this.endpoint < 0 ? '' : (target.upstream.addresses[this.endpoint] ?? ''),
      durationMs,
      bytesSent: this.bytesSent,
      remoteAddress: req.socket.remoteAddress ?? '',
      code,
    });
  }
}
