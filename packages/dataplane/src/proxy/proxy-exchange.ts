import type { ErrorCode } from '@weir/errors';
import type { HttpsRedirectSpec } from '@weir/runtime';
import type { RouteCache } from '@weir/cache';
import type { PluginReply } from '@weir/plugins';
import type { RouteFault, RouteMirror, RouteRuntime, RouteTarget } from '../assemble/index';
import { LIMIT_OK } from '../breaker/index';
import { CacheTurn } from '../cache/index';
import { BodyLimit } from '../limits/index';
import { BODY_BUFFERED, BODY_STREAM_UNREAD, isIdempotent } from '../retry/index';
import { sendHttpsRedirect, type AnyResponse } from '../server/index';
import { FAULT_HEADER, FAULT_NONE, decideFault, faultAbortStatus, faultDelayMs, isFaultAbort } from '../traffic/index';
import { conditionRequest, lookupCache } from './cache-step';
import { copyRequestHeaders, REQUEST_HAS_BODY, VIA_ENTRY, VIA_ENTRY_H2 } from './copy-request-headers';
import { sendFault } from './fault-response';
import { GuardedRequest } from './guarded-request';
import { bufferRequestBody, replayableLength, type BodyReceiver } from './request-body';
import { findHost } from './request-target';
import { ResponseRelay } from './response-relay';
import { declaredBodyLength, runGuard, type GuardOwner } from './route-guard';
import { redirectMetric, routeRequest, wantsHttps, type RoutedRequest } from './route-request';
import { appendTraceHeaders } from './trace-step';
import { TRAFFIC_FAULT_ABORT, TRAFFIC_FAULT_DELAY, TRAFFIC_MIRRORED, TRAFFIC_OVERRIDE, rawHeader, sendMirrorCopy } from './traffic-step';

/**
 * One request through the proxy: all of its state in one object (STYLE.md rule 7), which is also
 * the undici dispatch handler of each upstream attempt, the balancer's retry filter and the
 * target of its timers.
 *
 * ```
 *  start ── route? ──no──> 404 WEIR_ERR_NO_ROUTE ────────────────────────────────────┐
 *             │ direct ──> prebuilt status/headers/body ─────────────────────────────┤
 *             └ forward: plan.pick -> limits.tryAcquireRequest ─full─> 503 OVERFLOW ─┤
 *                 (small body on a retrying route: buffer it first, for replay)      │
 *               attempt: breaker.allow ─open─> 503 WEIR_ERR_BREAKER_OPEN ────────────┤
 *                 balancer.pick (a retry avoids endpoints already tried)             │
 *                 pool.dispatch(this)                                                │
 *                 onRequestStart(controller)   (abort now if the exchange ended)     │
 *                 onResponseStart -> outcome to outlier + breaker; retryable status? │
 *                      yes: drop it (read a small body, else abort), backoff timer   │
 *                           -> attempt                                               │
 *                      no:  writeHead (hop-by-hop out, Via in)                       │
 *                 onResponseData  -> res.write; false => pause until 'drain'         │
 *                 onResponseEnd   -> res.end ────────────────────────────────────────┤
 *                 onResponseError -> before a response: outcome, retry? else JSON    │
 *                                    error; after: destroy ──────────────────────────┤
 *             total timeout (route timeouts.totalMs) before headers -> 504 ──────────┤
 *             request body silent for the upstream's idleMs -> 408, abort upstream ──┤
 *             res 'close' before the end -> abort upstream, 499 ─────────────────────┤
 *                                                       finish(): limits, metrics, access
 *                                                       log, release the runtime (once)
 * ```
 *
 * This class is the front of the pipeline, down to the first attempt; the phases after it are its
 * base classes, one file each, all on this one instance (`ExchangeState` lists them):
 * `ResponseRelay` (response-relay.ts), `UpstreamAttempts` (upstream-attempts.ts) and
 * `ExchangeEndings` (exchange-endings.ts). The decisions they act on live in the pure modules
 * (`retryDecision`, `retryDelay`, the breaker, the outlier detector, the cache's rules).
 */
export class ProxyExchange extends ResponseRelay implements BodyReceiver, RoutedRequest, GuardOwner {
  /** Routes the request and answers it or sends it upstream. */
  start(): void {
    const route = routeRequest(this.runtime, this.listener, this.req, this);
    const tracer = this.runtime.policy.tracer;
    if (tracer !== null) this.trace = tracer.begin(this.req.rawHeaders, typeof route === 'string' ? null : route.tracingRatio);
    if (typeof route === 'string') {
      if (route === 'WEIR_ERR_NO_ROUTE') this.metric = this.runtime.noRouteMetric;
      this.fail(route);
      return;
    }
    this.route = route;
    if (wantsHttps(route, this)) {
      this.redirectToHttps(route);
      return;
    }
    if (route.plugins !== null || route.limits !== null) {
      this.guard(route);
      return;
    }
    this.serve(route);
  }

  /** The route's action: its direct response, or the upstream. */
  private serve(route: RouteRuntime): void {
    const direct = route.direct;
    if (direct !== null) {
      this.metric = route.metric;
      const res = this.res;
      const g = this.guarded;
      res.writeHead(direct.status, (g === null ? direct.headers : this.responsePhase(g, direct.status, direct.headers.slice())) as string[]);
      res.end(direct.body);
      this.bytesSent = direct.body.length;
      this.finish(direct.status, null);
      return;
    }
    this.forward(route);
  }

  /** Runs the route's plugins and limits before its action. */
  private guard(route: RouteRuntime): void {
    const req = this.req;
    const g = new GuardedRequest(
      req.method as string,
      this.hostOverride ?? findHost(req.rawHeaders) ?? '',
      this.clientAddress,
      this.secure,
      this.path,
      this.buildHeaders(),
      req.rawHeaders,
      this.trace === null ? null : this.trace.traceId,
    );
    this.guarded = g;
    // A plugin or a lease may be awaited: the client can leave meanwhile.
    this.watchClient();
    runGuard(this, route, g, declaredBodyLength(req.rawHeaders));
  }

  /** `GuardOwner`: plugins continued, limits admitted. */
  guardPassed(): void {
    this.path = (this.guarded as GuardedRequest).path;
    this.serve(this.route as RouteRuntime);
  }

  /** `GuardOwner`: a limit (or the body size) refused the request. */
  guardRefused(code: ErrorCode, headers: readonly string[] | null): void {
    this.metric = redirectMetric(this.route as RouteRuntime);
    this.countRejection(code);
    this.fail(code, headers);
  }

  /** `GuardOwner`: a plugin answered the request itself. */
  guardReplied(reply: PluginReply): void {
    this.metric = redirectMetric(this.route as RouteRuntime);
    if (reply.code !== null) {
      this.countRejection(reply.code);
      this.fail(reply.code, reply.headers);
      return;
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    const headers = reply.headers.slice();
    headers.push('content-length', String(body.length));
    const res = this.res;
    if (!res.headersSent) res.writeHead(reply.status, this.responsePhase(this.guarded as GuardedRequest, reply.status, headers));
    res.end(this.req.method === 'HEAD' ? undefined : body);
    this.bytesSent = body.length;
    this.finish(reply.status, null);
  }

  /** Counts a request refused by a plugin or a limit (`weir_policy_rejections_total`). */
  private countRejection(code: ErrorCode): void {
    const metrics = this.host.metrics;
    if (metrics !== null && metrics.policy !== undefined) metrics.policy.rejected((this.route as RouteRuntime).name, code);
  }

  /** The upstream request's header list, built once (plugins edit it before it is sent). */
  private buildHeaders(): string[] {
    let headers = this.headers;
    if (headers === null) {
      const req = this.req;
      headers = [];
      this.bodyFlags = copyRequestHeaders(
        req.rawHeaders,
        headers,
        this.remoteAddress,
        this.hostOverride,
        this.secure ? 'https' : 'http',
        req.httpVersionMajor === 2 ? VIA_ENTRY_H2 : VIA_ENTRY,
        this.trace !== null,
      );
      if (this.trace !== null) this.traceAt = appendTraceHeaders(this.runtime.policy.tracer!, this.trace, headers);
      this.headers = headers;
    }
    return headers;
  }

  /** `CacheOwner`: the upstream request's header list. */
  upstreamHeaders(): string[] {
    return this.buildHeaders();
  }

  /** A route that wants HTTPS, reached over plain HTTP: 30x to the same host and target. */
  private redirectToHttps(route: RouteRuntime): void {
    const redirect = route.httpsRedirect as HttpsRedirectSpec;
    this.metric = redirectMetric(route);
    if (!sendHttpsRedirect(this.req, this.res as unknown as AnyResponse, redirect, this.hostOverride ?? findHost(this.req.rawHeaders))) {
      this.fail('WEIR_ERR_BAD_REQUEST');
      return;
    }
    this.finish(redirect.status, null);
  }

  /** `CacheOwner`: sends the request upstream (the route's traffic plan, then the attempts). */
  forward(route: RouteRuntime): void {
    const traffic = route.traffic;
    if (traffic !== null && traffic.fault !== null && !this.faultDecided && this.injectFault(route, traffic.fault)) return;
    const cache = route.cache;
    if (cache !== null && this.cacheTurn === null && this.lookupCache(route, cache)) return;
    let t: number;
    if (traffic !== null && traffic.chooser !== null) {
      t = traffic.chooser.choose(this.req.rawHeaders, this.clientAddress, this.guarded === null ? null : this.guarded.claims);
      if (traffic.chooser.lastOverridden) this.trafficNotes |= TRAFFIC_OVERRIDE;
    } else {
      t = route.plan === null ? 0 : route.plan.pick();
    }
    const routeTarget = route.targets[t] as RouteTarget;
    this.target = routeTarget;
    this.metric = routeTarget.metric;
    const upstream = routeTarget.upstream;
    if (upstream.pools.length === 0) {
      this.fail('WEIR_ERR_NO_ENDPOINT');
      return;
    }
    // Concurrency limits first: an overloaded upstream costs this request nothing more.
    if (upstream.limits.tryAcquireRequest() !== LIMIT_OK) {
      this.upstreamFailed('WEIR_ERR_UPSTREAM_OVERFLOW');
      return;
    }
    this.admitted = true;
    const req = this.req;
    const hasher = upstream.hasher;
    if (hasher !== null) this.hash = hasher.hash(req.rawHeaders, this.clientAddress);
    this.buildHeaders();
    const turn = this.cacheTurn;
    if (turn !== null && turn.revalidating !== null) conditionRequest(this.headers as string[], turn.cache, turn.revalidating);
    const flags = this.bodyFlags;
    this.watchClient();
    const metrics = this.host.metrics;
    if (metrics !== null) metrics.inFlightInc();
    this.counted = true;
    const policy = route.retry;
    this.policy = policy;
    if (policy !== null) this.idempotent = isIdempotent(req.method as string);
    if (route.totalTimeoutMs > 0) this.startDeadline(route.totalTimeoutMs);
    const mirror = traffic === null ? null : traffic.mirror;
    if ((flags & REQUEST_HAS_BODY) !== 0) {
      this.guardBody(upstream.idleTimeoutMs);
      // A mirrored request with a small announced body is read whole once, for both copies.
      if (mirror !== null && mirror.sender.sample()) {
        const length = mirror.maxBodyBytes === 0 ? -1 : replayableLength(req, mirror.maxBodyBytes);
        if (length > 0) {
          this.mirrorPending = mirror;
          bufferRequestBody(req, this, length);
          return;
        }
        mirror.sender.skipped();
      }
      // Keep the body for replay only when a retry after sending is possible at all; a POST on a
      // default route streams as before (connect failures need no copy: nothing was read).
      if (policy !== null && policy.afterSend && (this.idempotent || policy.retryNonIdempotent)) {
        const length = replayableLength(req, policy.maxReplayBodyBytes);
        if (length > 0) {
          bufferRequestBody(req, this, length);
          return;
        }
      }
      const maxBody = route.limits === null ? 0 : route.limits.maxBodyBytes;
      // A body of unknown length on a route with a size limit is counted as it streams.
      this.body = maxBody > 0 && declaredBodyLength(req.rawHeaders) < 0 ? req.pipe(new BodyLimit(maxBody)) : req;
      this.bodyState = BODY_STREAM_UNREAD;
    } else if (mirror !== null && mirror.sender.sample()) {
      this.sendMirror(mirror, null);
    }
    this.attempt();
  }

  /** `bufferRequestBody` finished: the body can be sent as often as needed. */
  onBodyBuffered(body: Buffer): void {
    if (this.done) return;
    this.body = body;
    this.bodyState = BODY_BUFFERED;
    const mirror = this.mirrorPending;
    if (mirror !== null) {
      this.mirrorPending = null;
      this.sendMirror(mirror, body);
    }
    this.attempt();
  }

  /** Looks the request up in the route's cache; true when it was answered or waits (`lookupCache`). */
  private lookupCache(route: RouteRuntime, cache: RouteCache): boolean {
    const req = this.req;
    const turn = new CacheTurn(cache, req.method as string, this.secure, this.hostOverride ?? findHost(req.rawHeaders) ?? '', this.path, req.rawHeaders);
    this.cacheTurn = turn;
    return lookupCache(this, route, turn);
  }

  /** Sends a copy of the request to the route's mirror (`traffic-step.ts`). */
  private sendMirror(mirror: RouteMirror, body: Buffer | null): void {
    if (sendMirrorCopy(mirror, this.req.method as string, this.path, this.headers as string[], body)) this.trafficNotes |= TRAFFIC_MIRRORED;
  }

  /**
   * Decides the route's fault for this request: an abort answers now, a delay holds the request
   * (within the route's delay gate) and then forwards it. Returns whether the request was taken.
   */
  private injectFault(route: RouteRuntime, fault: RouteFault): boolean {
    this.faultDecided = true;
    const decision = decideFault(fault.spec, Math.random, fault.spec.headerControlled ? rawHeader(this.req.rawHeaders, FAULT_HEADER) : undefined);
    if (decision === FAULT_NONE) return false;
    const metrics = this.host.metrics;
    const traffic = metrics === null ? null : (metrics.traffic ?? null);
    if (isFaultAbort(decision)) {
      if (traffic !== null) traffic.faultInjected(route.name, 'abort');
      this.trafficNotes |= TRAFFIC_FAULT_ABORT;
      this.metric = redirectMetric(route);
      const status = sendFault(this.res, faultAbortStatus(decision), this.req);
      this.finish(status, 'WEIR_ERR_FAULT_INJECTED');
      return true;
    }
    if (!fault.gate.tryEnter()) return false;
    if (traffic !== null) traffic.faultInjected(route.name, 'delay');
    this.trafficNotes |= TRAFFIC_FAULT_DELAY;
    this.faultGate = fault.gate;
    this.watchClient();
    this.faultTimer = setTimeout(onFaultDelay, faultDelayMs(decision), this);
    return true;
  }

  /** The injected delay is over: forward the request. */
  faultDelayOver(): void {
    this.faultTimer = null;
    this.leaveFaultGate();
    if (!this.done) this.forward(this.route as RouteRuntime);
  }
}

/** Injected-delay timer callback (`setTimeout` passes the exchange: no closure per request). */
function onFaultDelay(exchange: ProxyExchange): void {
  exchange.faultDelayOver();
}
