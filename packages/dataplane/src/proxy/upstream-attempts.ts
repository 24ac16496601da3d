import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { catalogue } from '@weir/errors';
import type { RouteTarget, UpstreamRuntime } from '../assemble/index';
import { NO_ENDPOINT, type PickFilter } from '../balancer/index';
import { ADMIT_DENIED, BREAKER_OPEN, LIMIT_OK, LIMIT_RETRIES } from '../breaker/index';
import { OUTCOME_LOCAL_FAILURE, outcomeOfStatus } from '../outlier/index';
import type { EndpointState } from '../registry/index';
import {
  BODY_STREAM_READ,
  BODY_STREAM_UNREAD,
  FAILURE_STATUS,
  NO_RETRY,
  RETRY_REASONS,
  failureOfCode,
  parseRetryAfter,
  retryDecision,
  retryDelay,
  type Failure,
} from '../retry/index';
import { CLIENT_ABORTED_STATUS, ExchangeEndings } from './exchange-endings';
import { traceAttempt } from './trace-step';
import { upstreamErrorCode } from './upstream-error-code';

/** Passed to `controller.abort()` when the client left; only undici sees it. */
export const CLIENT_GONE = Object.assign(new Error('client closed the connection'), { code: 'WEIR_ERR_CLIENT_ABORTED' });

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

/**
 * The attempt loop of a forwarded request (see `ExchangeState` for the layers): the breaker's
 * admission, the balancer's pick (a retry avoids the endpoints already tried), the dispatch to
 * the endpoint's undici pool, and what ends an attempt before its response is relayed: an
 * error, a retried status, the route's total timeout. The retry rule itself is
 * `retryDecision` and the backoff `retryDelay` (both pure, in `retry/`).
 */
export abstract class UpstreamAttempts extends ExchangeEndings implements PickFilter {
  /** Starts the route's total timeout (`timeouts.totalMs`): final response headers are due by then. */
  protected startDeadline(totalMs: number): void {
    this.deadline = this.startedAt + totalMs;
    this.totalTimer = setTimeout(onTotalTimeout, totalMs, this);
  }

  /** One upstream attempt: the breaker, an endpoint, the dispatch. */
  protected attempt(): void {
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

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.leaveQueue();
    this.controller = controller;
    // The client may have left, or the exchange ended, while the attempt waited in the queue.
    if (this.clientGone || this.done) controller.abort(CLIENT_GONE);
  }

  /**
   * Response headers arrived: their status counts for the endpoint (outlier detection) and for
   * the breaker. Returns true when the status is retried instead: the response is dropped (a
   * small body read to its end, else the attempt aborted) and the next attempt waits for its
   * backoff.
   */
  protected retriedStatus(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): boolean {
    if (this.attemptSpan !== null) this.attemptSpan.status = statusCode;
    const upstream = (this.target as RouteTarget).upstream;
    if (upstream.outlier !== null) upstream.outlier.record(this.endpoint, outcomeOfStatus(statusCode));
    this.recordBreaker(upstream, statusCode < 500);
    const policy = this.policy;
    if (policy === null || !policy.mayRetryStatus(statusCode)) return false;
    const retryAfter = parseRetryAfter(headers['retry-after'], Date.now());
    if (!this.retryLater(FAILURE_STATUS, statusCode, retryAfter)) return false;
    if (this.attemptSpan !== null) this.attemptSpan.end(performance.now(), statusCode, null);
    this.endAttempt();
    if (this.draining === null && drainable(headers)) {
      // A small body: read it to its end and drop it (no abort, so no reconnect by undici).
      this.draining = controller;
      return true;
    }
    // The response is dropped unread: abort the attempt (its error callback is ignored).
    this.abandoned = controller;
    controller.abort(ABANDONED);
    return true;
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

  /** `CacheOwner`: drops the current attempt (a 304 that selects nothing; no body) and sends the next. */
  resend(controller: Dispatcher.DispatchController): void {
    this.endAttempt();
    this.draining = controller;
    this.attempt();
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

/** Backoff timer callback (`setTimeout` passes the exchange: no closure per retry). */
function onBackoffElapsed(exchange: UpstreamAttempts): void {
  exchange.retryNow();
}

/** Total-timeout timer callback. */
function onTotalTimeout(exchange: UpstreamAttempts): void {
  exchange.onDeadline();
}
