import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
// Module binding rather than the lazily-defined `globalThis.performance` getter.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { catalogue, type ErrorCode } from '@weir/errors';
import type { HttpsRedirectSpec } from '@weir/runtime';
import type { AccessLog, RequestMetricHandle } from '@weir/obs';
import type { RouteRuntime, RouteTarget, UpstreamRuntime, WorkerRuntime } from '../assemble/index';
import { NO_ENDPOINT, NO_HASH, type PickFilter } from '../balancer/index';
import { ADMIT_DENIED, BREAKER_OPEN, LIMIT_OK, LIMIT_RETRIES, type Admission } from '../breaker/index';
import { OUTCOME_LOCAL_FAILURE, outcomeOfStatus } from '../outlier/index';
import {
  BODY_BUFFERED,
  BODY_NONE,
  BODY_STREAM_READ,
  BODY_STREAM_UNREAD,
  FAILURE_STATUS,
  NO_RETRY,
  RETRY_REASONS,
  failureOfCode,
  isIdempotent,
  parseRetryAfter,
  retryDecision,
  retryDelay,
  type BodyState,
  type Failure,
  type RetryPolicy,
} from '../retry/index';
import type { EndpointState } from '../registry/index';
import { copyRequestHeaders, REQUEST_HAS_BODY, VIA_ENTRY, VIA_ENTRY_H2 } from './copy-request-headers';
import { copyResponseHeaders } from './copy-response-headers';
import { sendError } from './error-response';
import type { ProxyHandler } from './proxy-handler';
import { onResponseClose, onResponseDrain, type ClientResponse, type ResponseOwner } from './proxy-response';
import type { WatchedUpload } from './upload-watch';
import { announcesBody, bufferRequestBody, replayableLength, type BodyReceiver } from './request-body';
import { findHost } from './request-target';
import { redirectMetric, routeRequest, wantsHttps, type RoutedRequest } from './route-request';
import { upstreamErrorCode } from './upstream-error-code';
import { sendHttpsRedirect, type AnyResponse } from '../server/index';
import type { PluginReply } from '@weir/plugins';
import { BodyLimit } from '../limits/index';
import { GuardedRequest } from './guarded-request';
import type { RouteFault, RouteMirror } from '../assemble/index';
import { sendFault } from './fault-response';
import { TRAFFIC_FAULT_ABORT, TRAFFIC_FAULT_DELAY, TRAFFIC_MIRRORED, TRAFFIC_NOTES, TRAFFIC_OVERRIDE, rawHeader, sendMirrorCopy } from './traffic-step';
import type { RouteCache, ServedResponse } from '@weir/cache';
import { CacheTurn } from '../cache/index';
import { cacheResponse, conditionRequest, lookupCache, type CacheOwner } from './cache-step';
import {
  FAULT_HEADER,
  FAULT_NONE,
  decideFault,
  faultAbortStatus,
  faultDelayMs,
  isFaultAbort,
  type DelayGate,
} from '../traffic/index';
import { declaredBodyLength, runGuard, type GuardOwner } from './route-guard';
import type { AttemptSpan, RequestTrace } from '../tracing/index';
import { appendTraceHeaders, traceAttempt } from './trace-step';

/** Passed to `controller.abort()` when the client left; only undici sees it. */
const CLIENT_GONE = Object.assign(new Error('client closed the connection'), { code: 'WEIR_ERR_CLIENT_ABORTED' });

/** Passed to `controller.abort()` when the client stopped sending its request body. */
const CLIENT_STALLED = Object.assign(new Error('client stopped sending the request body'), {
  code: 'WEIR_ERR_CLIENT_BODY_TIMEOUT',
});

/** Passed to `controller.abort()` when the proxy gives up an attempt itself (retry, total timeout). */
const ABANDONED = Object.assign(new Error('attempt abandoned by the proxy'), { code: 'WEIR_ERR_UPSTREAM_TIMEOUT' });

/**
 * Largest response body (announced by `content-length`) of a retried attempt that is read and
 * dropped rather than aborted. Aborting a running request makes undici re-queue it and open a
 * fresh connection for it before it notices the abort (client-h1 `onHttpSocketClose` keeps the
 * head request on an `UND_ERR_INFO` close): one extra connection attempt per retry, which a
 * half-open breaker must not cost. Reading a small body to its end costs no connection at all
 * and keeps the connection for reuse.
 */
const MAX_DRAINED_BODY = 65_536;

/** Status recorded for an exchange whose client left before the response completed (nginx's 499). */
const CLIENT_ABORTED_STATUS = catalogue.WEIR_ERR_CLIENT_ABORTED.status;

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
 * The file is longer than STYLE.md rule 1's aim on purpose: this is the proxy's protocol engine,
 * one per-request state machine that undici, the client socket, the balancer and two timers all
 * call back into; its transitions read best side by side. The decisions it acts on live in the
 * pure modules (`retryDecision`, `retryDelay`, the breaker, the outlier detector).
 */
export class ProxyExchange implements Dispatcher.DispatchHandler, ResponseOwner, PickFilter, BodyReceiver, WatchedUpload, RoutedRequest, GuardOwner, CacheOwner {
  private readonly handler: ProxyHandler;
  private readonly listener: string;
  private readonly runtime: WorkerRuntime;
  private readonly req: IncomingMessage;
  private readonly res: ClientResponse;
  private readonly startedAt: number;
  private route: RouteRuntime | null;
  private target: RouteTarget | null;
  private metric: RequestMetricHandle | null;
  /** The endpoint of the current (or last) attempt. */
  private endpoint: number;
  /** The picked endpoint's shared state while this exchange counts in its `active`; else null. */
  private endpointState: EndpointState | null;
  private controller: Dispatcher.DispatchController | null;
  private status: number;
  private bytesSent: number;
  /** Counted in the in-flight gauge (forwarded requests only). */
  private counted: boolean;
  private drainHooked: boolean;
  /** The client connection closed before the response completed. */
  private clientGone: boolean;
  /** `RoutedRequest`: the request came on a TLS listener (`X-Forwarded-Proto: https`). */
  secure: boolean;
  /** `RoutedRequest`: the authority of an absolute-form target, which replaces `Host`; else null. */
  hostOverride: string | null;
  /** finish() ran: the runtime is released and every later callback is a no-op. */
  private done: boolean;
  // --- upstream attempts (forwarded requests only) ---
  /** The request's hash key for consistent-hashing balancers, computed once. */
  private hash: number;
  /** `RoutedRequest`: the upstream request's path (origin-form target, with the query). */
  path: string;
  /** The upstream request's header list, built once and reused by retries. */
  private headers: string[] | null;
  /** `copyRequestHeaders`' flags for `headers` (REQUEST_HAS_BODY). */
  private bodyFlags: number;
  /** What the attempts send as a body: none, the buffered body, or the client's stream. */
  private body: Buffer | Readable | null;
  private bodyState: BodyState;
  private policy: RetryPolicy | null;
  private idempotent: boolean;
  /** Retries made so far. */
  private retried: number;
  /** Bit i set: endpoint i (< 32) was tried; the balancer's filter avoids it on retries. */
  private tried: number;
  /** Holds a request permit of the upstream's concurrency limits. */
  private admitted: boolean;
  /** Holds a retry permit (from the first retry to the end). */
  private retrying: boolean;
  /** The current attempt waits in a pool's queue (counted in the limits' pending). */
  private pending: boolean;
  /** The breaker admission of the current attempt, until its outcome is recorded. */
  private admission: Admission;
  /** The attempt the proxy aborted itself: its error callback is expected and ignored. */
  private abandoned: Dispatcher.DispatchController | null;
  /** A retried attempt whose small response body is read and dropped (see MAX_DRAINED_BODY). */
  private draining: Dispatcher.DispatchController | null;
  /** `performance.now()` by which final response headers are due; Infinity without a total timeout. */
  private deadline: number;
  private totalTimer: NodeJS.Timeout | null;
  private backoffTimer: NodeJS.Timeout | null;
  /** `WatchedUpload`: the client's allowed silence while the body is guarded; 0 when not guarded. */
  uploadIdleMs: number;
  /** `WatchedUpload` bookkeeping, written by the handler's `UploadWatch`. */
  watchBytes: number;
  watchSince: number;
  /**
   * The guarded client socket, kept because `req.socket` does not stay: Node's stream
   * `destroyer` (undici destroys the body stream of an errored request) sets it to null.
   */
  private bodySocket: Socket | null;
  /**
   * The client address, read once: Node sets `req.socket` to null when a request body is
   * destroyed (undici does that when an upstream fails after the body was sent), and the access
   * log is written after that.
   */
  private readonly remoteAddress: string | undefined;
  /** The client address after trusted proxies (`clientAddress`); the peer without them. */
  private readonly clientAddress: string;
  /** Plugin and limit state of a route that has either; null otherwise. */
  private guarded: GuardedRequest | null;
  /** The client's `close` is watched (`res.exchange` set). */
  private watching: boolean;
  /** The route's fault injection was decided (a delayed request is not delayed twice). */
  private faultDecided: boolean;
  /** The delay gate this request waits in, and its timer; null when not delayed. */
  private faultGate: DelayGate | null;
  private faultTimer: NodeJS.Timeout | null;
  /** A mirror copy waits for the buffered request body. */
  private mirrorPending: RouteMirror | null;
  /** What the traffic plan did, for the access log (TRAFFIC_* bits). */
  private trafficNotes: number;
  /** This request's passage through its route's cache; null on routes without one. */
  private cacheTurn: CacheTurn | null;
  /** `CacheOwner`: `Cache-Status` of a forwarded response on a cached route; null otherwise. */
  cacheStatus: string | null;
  /** The request's trace (propagation on); null when the runtime has no tracer. */
  private trace: RequestTrace | null;
  /** Index of the `traceparent` value in `headers` (attempts of a recorded request rewrite it). */
  private traceAt: number;
  /** The current attempt's client span (recorded requests only); null otherwise. */
  private attemptSpan: AttemptSpan | null;

  constructor(handler: ProxyHandler, listener: string, runtime: WorkerRuntime, req: IncomingMessage, res: ClientResponse) {
    this.handler = handler;
    this.listener = listener;
    this.runtime = runtime;
    this.req = req;
    this.res = res;
    this.remoteAddress = req.socket.remoteAddress;
    this.clientAddress = runtime.clientAddressOf(this.remoteAddress, req.rawHeaders);
    this.guarded = null;
    this.watching = false;
    this.faultDecided = false;
    this.faultGate = null;
    this.faultTimer = null;
    this.mirrorPending = null;
    this.trafficNotes = 0;
    this.cacheTurn = null;
    this.cacheStatus = null;
    this.trace = null;
    this.traceAt = -1;
    this.attemptSpan = null;
    this.startedAt = performance.now();
    this.route = null;
    this.target = null;
    this.metric = null;
    this.endpoint = -1;
    this.endpointState = null;
    this.controller = null;
    this.status = 0;
    this.bytesSent = 0;
    this.counted = false;
    this.drainHooked = false;
    this.clientGone = false;
    this.secure = false;
    this.hostOverride = null;
    this.done = false;
    this.hash = NO_HASH;
    this.path = '';
    this.headers = null;
    this.bodyFlags = 0;
    this.body = null;
    this.bodyState = BODY_NONE;
    this.policy = null;
    this.idempotent = false;
    this.retried = 0;
    this.tried = 0;
    this.admitted = false;
    this.retrying = false;
    this.pending = false;
    this.admission = ADMIT_DENIED;
    this.abandoned = null;
    this.draining = null;
    this.deadline = Infinity;
    this.totalTimer = null;
    this.backoffTimer = null;
    this.uploadIdleMs = 0;
    this.watchBytes = 0;
    this.watchSince = 0;
    this.bodySocket = null;
  }

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

  // --- plugins and limits (route-guard.ts) ---------------------------------------------------

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

  /** `GuardOwner`: the exchange already ended. */
  get finished(): boolean {
    return this.done;
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

  /**
   * The response phase of a guarded request: the response headers its plugins collected, then
   * the plugins' response hooks in reverse order. Returns `headers`, edited in place.
   */
  private responsePhase(g: GuardedRequest, status: number, headers: string[]): string[] {
    const extra = g.responseHeaders;
    if (extra !== null) for (let i = 0; i < extra.length; i++) headers.push(extra[i] as string);
    const chain = (this.route as RouteRuntime).plugins;
    if (chain !== null && chain.hasResponsePhase) chain.runResponse(g, { status, headers });
    return headers;
  }

  /** Counts a request refused by a plugin or a limit (`weir_policy_rejections_total`). */
  private countRejection(code: ErrorCode): void {
    const metrics = this.handler.metrics;
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

  /** Watches the client's `close` (once): an exchange that ends early aborts what it waits for. */
  watchClient(): void {
    if (this.watching) return;
    this.watching = true;
    const res = this.res;
    res.exchange = this;
    res.on('close', onResponseClose);
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
    const metrics = this.handler.metrics;
    if (metrics !== null) metrics.inFlightInc();
    this.counted = true;
    const policy = route.retry;
    this.policy = policy;
    if (policy !== null) this.idempotent = isIdempotent(req.method as string);
    if (route.totalTimeoutMs > 0) {
      this.deadline = this.startedAt + route.totalTimeoutMs;
      this.totalTimer = setTimeout(onTotalTimeout, route.totalTimeoutMs, this);
    }
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

  // --- response cache (cache-step.ts) ---------------------------------------------------------

  /** Looks the request up in the route's cache; true when it was answered or waits (`lookupCache`). */
  private lookupCache(route: RouteRuntime, cache: RouteCache): boolean {
    const req = this.req;
    const turn = new CacheTurn(cache, req.method as string, this.secure, this.hostOverride ?? findHost(req.rawHeaders) ?? '', this.path, req.rawHeaders);
    this.cacheTurn = turn;
    return lookupCache(this, route, turn);
  }

  /** `CacheOwner`: answers from the cache while an upstream response is still arriving (it is read and dropped). */
  answerFromCache(route: RouteRuntime, served: ServedResponse): void {
    (this.cacheTurn as CacheTurn).answered = true;
    this.clearTotalTimer();
    this.sendCached(route, served);
  }

  /** `CacheOwner`: writes a response made from the cache and finishes the exchange. */
  sendCached(route: RouteRuntime, served: ServedResponse): void {
    if (this.metric === null) this.metric = redirectMetric(route);
    const headers = served.headers;
    headers.push('via', VIA_ENTRY);
    const g = this.guarded;
    const res = this.res;
    res.writeHead(served.status, g === null ? headers : this.responsePhase(g, served.status, headers));
    res.end(served.body.length === 0 ? undefined : served.body);
    this.bytesSent = this.req.method === 'HEAD' ? 0 : served.body.length;
    this.finish(served.status, null);
  }

  /** `CacheOwner`: drops the current attempt (a 304 that selects nothing; no body) and sends the next. */
  resend(controller: Dispatcher.DispatchController): void {
    this.endAttempt();
    this.draining = controller;
    this.attempt();
  }

  /** `CacheOwner`: the upstream request's header list. */
  upstreamHeaders(): string[] {
    return this.buildHeaders();
  }

  // --- traffic plans: mirror and faults (traffic/) -------------------------------------------

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
    const metrics = this.handler.metrics;
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

  private leaveFaultGate(): void {
    const gate = this.faultGate;
    if (gate !== null) {
      this.faultGate = null;
      gate.leave();
    }
  }

  /** One upstream attempt: the breaker, an endpoint, the dispatch. */
  private attempt(): void {
    const upstream = (this.target as RouteTarget).upstream;
    const breaker = upstream.breaker;
    if (breaker !== null) {
      const admission = breaker.allow();
      if (admission === ADMIT_DENIED) {
        // Open (or half-open with every probe out): no connection is even attempted.
        if (this.retried !== 0 && upstream.resilience !== null) upstream.resilience.retryDenied('breaker-open');
        this.upstreamFailed('WEIR_ERR_BREAKER_OPEN');
        return;
      }
      this.admission = admission;
    }
    const e = upstream.balancer === null ? 0 : upstream.balancer.pick(this.hash, this.retried === 0 ? null : this);
    if (e === NO_ENDPOINT) {
      this.fail('WEIR_ERR_NO_ENDPOINT');
      return;
    }
    this.endpoint = e;
    if (e < 32) this.tried |= 1 << e;
    const state = upstream.states[e] as EndpointState;
    state.active++;
    this.endpointState = state;
    upstream.limits.pendingStart();
    this.pending = true;
    const trace = this.trace;
    if (trace !== null && trace.recording) {
      this.attemptSpan = traceAttempt(this.runtime.policy.tracer!, trace, this.headers as string[], this.traceAt, upstream.addresses[e] ?? '');
    }
    const req = this.req;
    upstream.pools[e]!.dispatch(
      {
        method: req.method as Dispatcher.HttpMethod,
        path: this.path,
        headers: this.headers as string[],
        body: this.body,
        headersTimeout: (this.target as RouteTarget).headersTimeout,
      },
      this,
    );
  }

  /** PickFilter: on a retry, prefer endpoints not tried yet (beyond 32, the last one). */
  accepts(endpoint: number): boolean {
    return endpoint < 32 ? (this.tried & (1 << endpoint)) === 0 : endpoint !== this.endpoint;
  }

  // --- undici DispatchHandler ------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.leaveQueue();
    this.controller = controller;
    // The client may have left, or the exchange ended, while the attempt waited in the queue.
    if (this.clientGone || this.done) controller.abort(CLIENT_GONE);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.done) return;
    if (this.attemptSpan !== null) this.attemptSpan.status = statusCode;
    const upstream = (this.target as RouteTarget).upstream;
    if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, outcomeOfStatus(statusCode));
    this.recordBreaker(upstream, statusCode < 500);
    const policy = this.policy;
    if (policy !== null && policy.mayRetryStatus(statusCode)) {
      const retryAfter = parseRetryAfter(headers['retry-after'], Date.now());
      if (this.retryLater(FAILURE_STATUS, statusCode, retryAfter)) {
        if (this.attemptSpan !== null) this.attemptSpan.end(performance.now(), statusCode, null);
        this.endAttempt();
        if (this.draining === null && drainable(headers)) {
          // A small body: read it to its end and drop it (no abort, so no reconnect by undici).
          this.draining = controller;
          return;
        }
        // The response is dropped unread: abort the attempt (its error callback is ignored).
        this.abandoned = controller;
        controller.abort(ABANDONED);
        return;
      }
    }
    const turn = this.cacheTurn;
    if (turn !== null && cacheResponse(this, this.route as RouteRuntime, turn, statusCode, headers, controller)) return;
    this.clearTotalTimer();
    this.status = statusCode;
    try {
      const list = copyResponseHeaders(headers);
      if (this.cacheStatus !== null) list.push('cache-status', this.cacheStatus);
      const g = this.guarded;
      this.res.writeHead(statusCode, g === null ? list : this.responsePhase(g, statusCode, list));
    } catch (err) {
      // Node refused a header the upstream sent (invalid name or value): the upstream broke
      // HTTP, and nothing was written yet.
      this.upstreamFailed('WEIR_ERR_UPSTREAM_PROTOCOL');
      controller.abort(err as Error);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.done || controller === this.draining) return;
    this.bytesSent += chunk.length;
    if (this.cacheTurn !== null) this.cacheTurn.record(chunk);
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

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    if (controller === this.draining) {
      this.draining = null;
      return;
    }
    if (this.done) return;
    if (this.attemptSpan !== null) this.attemptSpan.end(performance.now(), this.attemptSpan.status, null);
    // Trailers pass through: HTTP/2 sends them as a trailing HEADERS frame, HTTP/1.1 after the
    // last chunk (a response framed by content-length has nowhere to put them: Node drops them).
    if (trailers !== undefined && hasFields(trailers)) this.res.addTrailers(trailers);
    if (this.cacheTurn !== null) this.cacheTurn.complete();
    this.res.end();
    this.finish(this.status, null);
  }

  onResponseError(controller: Dispatcher.DispatchController, err: Error): void {
    if (controller === this.draining) {
      // The dropped body broke off: nothing to tell anyone, the retry is already under way.
      this.draining = null;
      return;
    }
    if (this.done) return;
    if (controller === this.abandoned) {
      this.abandoned = null;
      return;
    }
    if (this.clientGone) {
      this.finish(CLIENT_ABORTED_STATUS, 'WEIR_ERR_CLIENT_ABORTED');
      return;
    }
    const code = upstreamErrorCode(err);
    if (this.attemptSpan !== null) this.attemptSpan.end(performance.now(), this.attemptSpan.status, code);
    const upstream = (this.target as RouteTarget).upstream;
    if (catalogue[code].source === 'upstream') {
      // A local-origin failure: refused, reset, timed out or broken. A failure after the
      // response started still counts against the endpoint (its status counted as a success).
      if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, OUTCOME_LOCAL_FAILURE);
      this.recordBreaker(upstream, false);
      if (this.status === 0) {
        this.countUpstreamError(code);
        this.endAttempt();
        if (this.retryLater(failureOfCode(code), 0, -1)) return;
        this.fail(code);
        return;
      }
    }
    this.upstreamFailed(code);
  }

  // --- retries ---------------------------------------------------------------------------

  /**
   * Schedules a retry of the failed attempt after its backoff, if the route's policy, the safety
   * rule (`retryDecision`) and the upstream's limits all allow one. Returns whether it did.
   */
  private retryLater(failure: Failure, status: number, retryAfterMs: number): boolean {
    const policy = this.policy;
    if (policy === null) return false;
    let body = this.bodyState;
    if (body === BODY_STREAM_UNREAD && this.req.readableDidRead) body = BODY_STREAM_READ;
    const reason = retryDecision(policy, this.retried, failure, status, this.idempotent, body);
    if (reason === NO_RETRY) return false;
    const upstream = (this.target as RouteTarget).upstream;
    const metrics = upstream.resilience;
    if (upstream.breaker !== null && upstream.breaker.state === BREAKER_OPEN) {
      if (metrics !== null) metrics.retryDenied('breaker-open');
      return false;
    }
    const remaining = this.deadline === Infinity ? Infinity : this.deadline - performance.now();
    const delay = retryDelay(policy, this.retried + 1, Math.random, retryAfterMs, remaining);
    if (delay < 0) {
      if (metrics !== null) metrics.retryDenied('timeout');
      return false;
    }
    if (!this.retrying) {
      const verdict = upstream.limits.tryAcquireRetry();
      if (verdict !== LIMIT_OK) {
        if (metrics !== null) metrics.retryDenied(verdict === LIMIT_RETRIES ? 'max-retries' : 'budget');
        return false;
      }
      this.retrying = true;
    }
    this.retried++;
    if (metrics !== null) metrics.retry(RETRY_REASONS[reason] as string);
    this.backoffTimer = setTimeout(onBackoffElapsed, delay, this);
    return true;
  }

  /** The backoff timer fired: send the next attempt. */
  retryNow(): void {
    this.backoffTimer = null;
    if (!this.done) this.attempt();
  }

  /** The route's total timeout fired: no more waiting for response headers. */
  onDeadline(): void {
    this.totalTimer = null;
    if (this.done || this.res.headersSent) return;
    const upstream = (this.target as RouteTarget).upstream;
    if (this.endpointState !== null) {
      // An attempt is out (queued or running): it took too long, as far as this route can tell.
      if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, OUTCOME_LOCAL_FAILURE);
      this.recordBreaker(upstream, false);
      const controller = this.controller;
      if (this.attemptSpan !== null) this.attemptSpan.end(performance.now(), 0, 'WEIR_ERR_UPSTREAM_TIMEOUT');
      this.endAttempt();
      this.countUpstreamError('WEIR_ERR_UPSTREAM_TIMEOUT');
      // Finish first: the abort's error callback then finds the exchange done.
      this.fail('WEIR_ERR_UPSTREAM_TIMEOUT');
      if (controller !== null) controller.abort(ABANDONED);
      return;
    }
    this.fail('WEIR_ERR_UPSTREAM_TIMEOUT');
  }

  /** Feeds the current attempt's outcome to the breaker, once. */
  private recordBreaker(upstream: UpstreamRuntime, success: boolean): void {
    const admission = this.admission;
    if (admission === ADMIT_DENIED || upstream.breaker === null) return;
    this.admission = ADMIT_DENIED;
    upstream.breaker.record(admission, success);
  }

  /** The current attempt is over (failed or abandoned): its queue slot and endpoint load go. */
  private endAttempt(): void {
    this.leaveQueue();
    this.controller = null;
    const state = this.endpointState;
    if (state !== null) {
      state.active--;
      this.endpointState = null;
    }
  }

  private leaveQueue(): void {
    if (this.pending) {
      this.pending = false;
      (this.target as RouteTarget).upstream.limits.pendingEnd();
    }
  }

  private clearTotalTimer(): void {
    if (this.totalTimer !== null) {
      clearTimeout(this.totalTimer);
      this.totalTimer = null;
    }
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

  /**
   * Guards the request body against a client that stops sending it (nginx's
   * `client_body_timeout`): undici's body timeout covers only the response, and the listener's
   * `requestTimeoutMs` is off by default. The handler's shared `UploadWatch` samples the client
   * connection's `bytesRead`; nothing runs per chunk. Covers the buffered (replay) body and the
   * streamed one alike.
   */
  private guardBody(idleMs: number): void {
    if (idleMs <= 0) return;
    this.bodySocket = this.req.socket;
    this.uploadIdleMs = idleMs;
    this.handler.uploads.add(this);
  }

  /** Ends the body guard. */
  private unguardBody(): void {
    this.uploadIdleMs = 0;
    this.bodySocket = null;
    this.handler.uploads.delete(this);
  }

  /** `WatchedUpload`: bytes read on the client connection so far. */
  uploadProgress(): number {
    const socket = this.bodySocket;
    return socket === null ? 0 : socket.bytesRead;
  }

  /**
   * `WatchedUpload`: the client sent nothing for the upstream's `idleMs`. Returns false (keep
   * watching) when the body is complete or data waits unread because the upstream is slow.
   */
  onClientIdle(): boolean {
    if (this.done || this.uploadIdleMs === 0) return true;
    const req = this.req;
    if (req.complete) {
      this.unguardBody();
      return true;
    }
    if (req.readableLength > 0) return false;
    const controller = this.controller;
    if (this.res.headersSent) {
      this.res.destroy();
      this.finish(this.status, 'WEIR_ERR_CLIENT_BODY_TIMEOUT');
    } else {
      this.fail('WEIR_ERR_CLIENT_BODY_TIMEOUT');
    }
    // Finished first: the abort's error callback then finds the exchange done.
    if (controller !== null) controller.abort(CLIENT_STALLED);
    return true;
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

  /** Counts a failed upstream attempt in `weir_upstream_errors_total`. */
  private countUpstreamError(code: ErrorCode): void {
    const metrics = this.handler.metrics;
    if (metrics !== null && catalogue[code].source === 'upstream' && this.target !== null) {
      metrics.upstreamError(this.target.upstream.name, code);
    }
  }

  /** An upstream round trip failed: answer with the code's JSON error, or cut the response. */
  private upstreamFailed(code: ErrorCode): void {
    this.countUpstreamError(code);
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
  private fail(code: ErrorCode, extra: readonly string[] | null = null): void {
    const res = this.res;
    const turn = this.cacheTurn;
    if (turn !== null && turn.revalidating !== null && !turn.answered && catalogue[code].source === 'upstream' && turn.cache.staleIfError(turn.revalidating, turn, null)) {
      // stale-if-error: the origin could not be reached; the stale entry answers.
      this.answerFromCache(this.route as RouteRuntime, turn.cache.serve(turn.revalidating, turn, turn.cache.staleIfErrorStatus(null)));
      return;
    }
    // A body the client is still sending would otherwise be read to its end by Node to keep
    // the connection reusable; close the connection instead (nginx does the same). A request
    // without a body keeps its connection: fail-fast answers (an open breaker) stay cheap.
    const req = this.req;
    if (!req.complete && announcesBody(req.rawHeaders)) res.shouldKeepAlive = false;
    const g = this.guarded;
    const status = sendError(res, code, g === null || g.responseHeaders === null ? extra : (extra ?? []).concat(g.responseHeaders));
    this.bytesSent = 0;
    this.finish(status, code);
  }

  /** Ends the exchange exactly once: limits, metrics, access log, runtime release. */
  private finish(status: number, code: ErrorCode | null): void {
    if (this.done) return;
    this.done = true;
    if (this.uploadIdleMs !== 0) this.unguardBody();
    this.res.exchange = null;
    const handler = this.handler;
    const endedAt = performance.now();
    const seconds = (endedAt - this.startedAt) / 1000;
    const trace = this.trace;
    if (trace !== null && trace.recording && this.traceEnd(trace, status, code, endedAt)) {
      if (this.metric !== null) this.metric.observeTraced(status, seconds, trace.traceId);
    } else if (this.metric !== null) this.metric.observe(status, seconds);
    if (this.counted && handler.metrics !== null) handler.metrics.inFlightDec();
    if (this.admitted) this.release((this.target as RouteTarget).upstream);
    if (this.guarded !== null) this.guarded.leave();
    if (this.cacheTurn !== null) this.cacheTurn.abandon();
    if (this.faultTimer !== null) {
      clearTimeout(this.faultTimer);
      this.faultTimer = null;
    }
    this.leaveFaultGate();
    if (handler.accessLog !== null) this.log(status, code, seconds);
    handler.runtimes.release(this.runtime);
  }

  /** Gives back everything an admitted request holds: permits, queue slot, load, timers. */
  private release(upstream: UpstreamRuntime): void {
    this.clearTotalTimer();
    if (this.backoffTimer !== null) {
      clearTimeout(this.backoffTimer);
      this.backoffTimer = null;
    }
    const state = this.endpointState;
    if (state !== null) {
      state.active--;
      this.endpointState = null;
    }
    this.leaveQueue();
    if (this.admission !== ADMIT_DENIED && upstream.breaker !== null) upstream.breaker.cancel(this.admission);
    this.admission = ADMIT_DENIED;
    const limits = upstream.limits;
    if (this.retrying) limits.releaseRetry();
    limits.releaseRequest();
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
      remoteAddress: this.clientAddress,
      code,
      requestId: this.guarded === null ? null : this.guarded.requestId,
      principal: this.guarded === null ? null : this.guarded.principal,
      traffic: this.trafficNotes === 0 ? null : (TRAFFIC_NOTES[this.trafficNotes] as string),
      traceId: this.trace === null ? null : this.trace.traceId,
      spanId: this.trace === null ? null : this.trace.spanId,
    });
  }

  /**
   * A recorded request ended: its spans go to the export queue when sampled (or kept as an
   * error). Returns whether they did (the duration then carries the trace id as an exemplar).
   */
  private traceEnd(trace: RequestTrace, status: number, code: ErrorCode | null, endedAt: number): boolean {
    const tracer = this.runtime.policy.tracer!;
    if (!tracer.exports(trace, status, code)) return false;
    const req = this.req;
    const target = this.target;
    tracer.end(trace, {
      method: req.method ?? '',
      target: req.url ?? '',
      host: this.hostOverride ?? findHost(req.rawHeaders) ?? '',
      secure: this.secure,
      protocol: req.httpVersionMajor === 2 ? '2' : '1.1',
      clientAddress: this.clientAddress,
      peerAddress: this.remoteAddress ?? '',
      userAgent: rawHeader(req.rawHeaders, 'user-agent'),
      status,
      code,
      route: this.route === null ? null : this.route.name,
      upstream: target === null ? null : target.upstream.name,
      retries: this.retried,
      cacheStatus: this.cacheStatus,
      startedAt: this.startedAt,
      endedAt,
    });
    return true;
  }
}

/**
 * Whether a retried attempt's response may be read and dropped instead of aborted: its body is
 * announced with a `content-length` of at most MAX_DRAINED_BODY. A chunked or unannounced body
 * could be endless, so it is aborted.
 */
function drainable(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  if (typeof length !== 'string') return false;
  const n = Number(length);
  return Number.isInteger(n) && n >= 0 && n <= MAX_DRAINED_BODY;
}

/** Whether undici's trailer object holds any field (it is `{}` for nearly every response). */
function hasFields(trailers: IncomingHttpHeaders): boolean {
  for (const _ in trailers) return true;
  return false;
}

/** Backoff timer callback (`setTimeout` passes the exchange: no closure per retry). */
function onBackoffElapsed(exchange: ProxyExchange): void {
  exchange.retryNow();
}

/** Total-timeout timer callback. */
function onTotalTimeout(exchange: ProxyExchange): void {
  exchange.onDeadline();
}

/** Injected-delay timer callback. */
function onFaultDelay(exchange: ProxyExchange): void {
  exchange.faultDelayOver();
}
