import { performance } from 'node:perf_hooks';
import { catalogue, type ErrorCode } from '@weir/errors';
import type { AccessLog } from '@weir/obs';
import type { RouteRuntime, RouteTarget, UpstreamRuntime } from '../assemble/index';
import { ADMIT_DENIED } from '../breaker/index';
import type { ServedResponse } from '@weir/cache';
import type { CacheTurn } from '../cache/index';
import type { RequestTrace } from '../tracing/index';
import { VIA_ENTRY } from './copy-request-headers';
import { sendError } from './error-response';
import { ExchangeState } from './exchange-state';
import type { GuardedRequest } from './guarded-request';
import { announcesBody } from './request-body';
import { findHost } from './request-target';
import { redirectMetric } from './route-request';
import { TRAFFIC_NOTES, rawHeader } from './traffic-step';
import type { WatchedUpload } from './upload-watch';

/** Passed to `controller.abort()` when the client stopped sending its request body. */
const CLIENT_STALLED = Object.assign(new Error('client stopped sending the request body'), {
  code: 'WEIR_ERR_CLIENT_BODY_TIMEOUT',
});

/** Status recorded for an exchange whose client left before the response completed (nginx's 499). */
export const CLIENT_ABORTED_STATUS = catalogue.WEIR_ERR_CLIENT_ABORTED.status;

/**
 * How an exchange ends (see `ExchangeState` for the layers): every answer the proxy makes itself
 * (an error, a response from the cache, a guarded request's response phase) and `finish`, which
 * runs exactly once and gives everything back: upstream permits, the queue slot and endpoint
 * load, timers, the fault gate, the plugin and limit state, the in-flight gauge; then the
 * duration metric, the spans and the access log, and the runtime reference. The request body's
 * silence guard lives here too: its only outcome is an ending (408).
 */
export abstract class ExchangeEndings extends ExchangeState implements WatchedUpload {
  /**
   * The response phase of a guarded request: the response headers its plugins collected, then
   * the plugins' response hooks in reverse order. Returns `headers`, edited in place.
   */
  protected responsePhase(g: GuardedRequest, status: number, headers: string[]): string[] {
    const extra = g.responseHeaders;
    if (extra !== null) for (let i = 0; i < extra.length; i++) headers.push(extra[i] as string);
    const chain = (this.route as RouteRuntime).plugins;
    if (chain !== null && chain.hasResponsePhase) chain.runResponse(g, { status, headers });
    return headers;
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

  /** `CacheOwner`: answers from the cache while an upstream response is still arriving (it is read and dropped). */
  answerFromCache(route: RouteRuntime, served: ServedResponse): void {
    (this.cacheTurn as CacheTurn).answered = true;
    this.clearTotalTimer();
    this.sendCached(route, served);
  }

  /** An exception escaped `start` (a bug): answer 500 if still possible, always finish. */
  crash(err: unknown): void {
    this.host.onInternalError(err);
    if (this.done) return;
    if (this.res.headersSent) {
      this.res.destroy();
      this.finish(this.status === 0 ? 500 : this.status, 'WEIR_ERR_INTERNAL');
      return;
    }
    this.fail('WEIR_ERR_INTERNAL');
  }

  /** Counts a failed upstream attempt in `weir_upstream_errors_total`. */
  protected countUpstreamError(code: ErrorCode): void {
    const metrics = this.host.metrics;
    if (metrics !== null && catalogue[code].source === 'upstream' && this.target !== null) {
      metrics.upstreamError(this.target.upstream.name, code);
    }
  }

  /** An upstream round trip failed: answer with the code's JSON error, or cut the response. */
  protected upstreamFailed(code: ErrorCode): void {
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
  protected fail(code: ErrorCode, extra: readonly string[] | null = null): void {
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
  protected finish(status: number, code: ErrorCode | null): void {
    if (this.done) return;
    this.done = true;
    if (this.uploadIdleMs !== 0) this.unguardBody();
    this.res.exchange = null;
    const handler = this.host;
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

  /** Leaves the pool queue (the limits' pending count) if the current attempt still waits in it. */
  protected leaveQueue(): void {
    if (this.pending) {
      this.pending = false;
      (this.target as RouteTarget).upstream.limits.pendingEnd();
    }
  }

  protected clearTotalTimer(): void {
    if (this.totalTimer !== null) {
      clearTimeout(this.totalTimer);
      this.totalTimer = null;
    }
  }

  protected leaveFaultGate(): void {
    const gate = this.faultGate;
    if (gate !== null) {
      this.faultGate = null;
      gate.leave();
    }
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
    (this.host.accessLog as AccessLog).write({
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

  /**
   * Guards the request body against a client that stops sending it (nginx's
   * `client_body_timeout`): undici's body timeout covers only the response, and the listener's
   * `requestTimeoutMs` is off by default. The handler's shared `UploadWatch` samples the client
   * connection's `bytesRead`; nothing runs per chunk. Covers the buffered (replay) body and the
   * streamed one alike.
   */
  protected guardBody(idleMs: number): void {
    if (idleMs <= 0) return;
    this.bodySocket = this.req.socket;
    this.uploadIdleMs = idleMs;
    this.host.uploads.add(this);
  }

  /** Ends the body guard. */
  private unguardBody(): void {
    this.uploadIdleMs = 0;
    this.bodySocket = null;
    this.host.uploads.delete(this);
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
}
