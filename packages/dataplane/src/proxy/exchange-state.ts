import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { AccessLog, DataplaneMetrics, RequestMetricHandle } from '@weir/obs';
import type { RouteMirror, RouteRuntime, RouteTarget, WorkerRuntime } from '../assemble/index';
import { NO_HASH } from '../balancer/index';
import { ADMIT_DENIED, type Admission } from '../breaker/index';
import type { CacheTurn } from '../cache/index';
import type { EndpointState } from '../registry/index';
import { BODY_NONE, type BodyState, type RetryPolicy } from '../retry/index';
import type { AttemptSpan, RequestTrace } from '../tracing/index';
import type { DelayGate } from '../traffic/index';
import type { GuardedRequest } from './guarded-request';
import type { ClientResponse } from './proxy-response';
import type { UploadWatch } from './upload-watch';

/**
 * What an exchange needs of the pipeline that started it (`ProxyHandler` satisfies it): the
 * shared metrics, access log and upload watch, and the runtime source it releases its runtime to.
 */
export interface ExchangeHost {
  readonly metrics: DataplaneMetrics | null;
  /** Null when access logging is off: no record is built at all. */
  readonly accessLog: AccessLog | null;
  readonly uploads: UploadWatch;
  readonly runtimes: { release(runtime: WorkerRuntime): void };
  /** Told about an exception that escaped the pipeline (a bug). */
  readonly onInternalError: (err: unknown) => void;
}

/**
 * All the state of one request through the proxy, in one object (STYLE.md rule 7): the fields
 * and their starting values, and nothing else. The exchange's phases are layered on it as
 * subclasses, one file each, so every one of them works on the same instance without a
 * per-request object of its own (as undici layers `Pool` on `PoolBase` on `DispatcherBase`):
 *
 * ```
 *  ExchangeState      the fields (this file)
 *  ExchangeEndings    answers and the single finish: errors, cached answers, limits, metrics,
 *                     access log, spans, the request body's silence guard
 *  UpstreamAttempts   the attempt loop: breaker, balancer, dispatch, retries, total timeout
 *  ResponseRelay      the upstream response to the client: head, body with backpressure,
 *                     trailers, the client leaving
 *  ProxyExchange      the front: route, redirect, plugins and limits, direct answers, cache
 *                     lookup, traffic plan, request body, then the first attempt
 * ```
 *
 * Subclasses declare no fields: with ES2022 class fields a redeclared one would be reset to
 * `undefined` after this constructor ran.
 */
export abstract class ExchangeState {
  protected readonly host: ExchangeHost;
  protected readonly listener: string;
  protected readonly runtime: WorkerRuntime;
  protected readonly req: IncomingMessage;
  protected readonly res: ClientResponse;
  protected readonly startedAt: number;
  protected route: RouteRuntime | null;
  protected target: RouteTarget | null;
  protected metric: RequestMetricHandle | null;
  /** The endpoint of the current (or last) attempt. */
  protected endpoint: number;
  /** The picked endpoint's shared state while this exchange counts in its `active`; else null. */
  protected endpointState: EndpointState | null;
  protected controller: Dispatcher.DispatchController | null;
  protected status: number;
  protected bytesSent: number;
  /** Counted in the in-flight gauge (forwarded requests only). */
  protected counted: boolean;
  protected drainHooked: boolean;
  /** The client connection closed before the response completed. */
  protected clientGone: boolean;
  /** `RoutedRequest`: the request came on a TLS listener (`X-Forwarded-Proto: https`). */
  secure: boolean;
  /** `RoutedRequest`: the authority of an absolute-form target, which replaces `Host`; else null. */
  hostOverride: string | null;
  /** finish() ran: the runtime is released and every later callback is a no-op. */
  protected done: boolean;
  // --- upstream attempts (forwarded requests only) ---
  /** The request's hash key for consistent-hashing balancers, computed once. */
  protected hash: number;
  /** `RoutedRequest`: the upstream request's path (origin-form target, with the query). */
  path: string;
  /** The upstream request's header list, built once and reused by retries. */
  protected headers: string[] | null;
  /** `copyRequestHeaders`' flags for `headers` (REQUEST_HAS_BODY). */
  protected bodyFlags: number;
  /** What the attempts send as a body: none, the buffered body, or the client's stream. */
  protected body: Buffer | Readable | null;
  protected bodyState: BodyState;
  protected policy: RetryPolicy | null;
  protected idempotent: boolean;
  /** Retries made so far. */
  protected retried: number;
  /** Bit i set: endpoint i (< 32) was tried; the balancer's filter avoids it on retries. */
  protected tried: number;
  /** Holds a request permit of the upstream's concurrency limits. */
  protected admitted: boolean;
  /** Holds a retry permit (from the first retry to the end). */
  protected retrying: boolean;
  /** The current attempt waits in a pool's queue (counted in the limits' pending). */
  protected pending: boolean;
  /** The breaker admission of the current attempt, until its outcome is recorded. */
  protected admission: Admission;
  /** The attempt the proxy aborted itself: its error callback is expected and ignored. */
  protected abandoned: Dispatcher.DispatchController | null;
  /** A retried attempt whose small response body is read and dropped (see MAX_DRAINED_BODY). */
  protected draining: Dispatcher.DispatchController | null;
  /** `performance.now()` by which final response headers are due; Infinity without a total timeout. */
  protected deadline: number;
  protected totalTimer: NodeJS.Timeout | null;
  protected backoffTimer: NodeJS.Timeout | null;
  /** `WatchedUpload`: the client's allowed silence while the body is guarded; 0 when not guarded. */
  uploadIdleMs: number;
  /** `WatchedUpload` bookkeeping, written by the handler's `UploadWatch`. */
  watchBytes: number;
  watchSince: number;
  /**
   * The guarded client socket, kept because `req.socket` does not stay: Node's stream
   * `destroyer` (undici destroys the body stream of an errored request) sets it to null.
   */
  protected bodySocket: Socket | null;
  /**
   * The client address, read once: Node sets `req.socket` to null when a request body is
   * destroyed (undici does that when an upstream fails after the body was sent), and the access
   * log is written after that.
   */
  protected readonly remoteAddress: string | undefined;
  /** The client address after trusted proxies (`clientAddress`); the peer without them. */
  protected readonly clientAddress: string;
  /** Plugin and limit state of a route that has either; null otherwise. */
  protected guarded: GuardedRequest | null;
  /** The client's `close` is watched (`res.exchange` set). */
  protected watching: boolean;
  /** The route's fault injection was decided (a delayed request is not delayed twice). */
  protected faultDecided: boolean;
  /** The delay gate this request waits in, and its timer; null when not delayed. */
  protected faultGate: DelayGate | null;
  protected faultTimer: NodeJS.Timeout | null;
  /** A mirror copy waits for the buffered request body. */
  protected mirrorPending: RouteMirror | null;
  /** What the traffic plan did, for the access log (TRAFFIC_* bits). */
  protected trafficNotes: number;
  /** This request's passage through its route's cache; null on routes without one. */
  protected cacheTurn: CacheTurn | null;
  /** `CacheOwner`: `Cache-Status` of a forwarded response on a cached route; null otherwise. */
  cacheStatus: string | null;
  /** The request's trace (propagation on); null when the runtime has no tracer. */
  protected trace: RequestTrace | null;
  /** Index of the `traceparent` value in `headers` (attempts of a recorded request rewrite it). */
  protected traceAt: number;
  /** The current attempt's client span (recorded requests only); null otherwise. */
  protected attemptSpan: AttemptSpan | null;

  constructor(host: ExchangeHost, listener: string, runtime: WorkerRuntime, req: IncomingMessage, res: ClientResponse) {
    this.host = host;
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
  /** `GuardOwner`, `CacheOwner`: the exchange already ended. */
  get finished(): boolean {
    return this.done;
  }
}
