import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { RouteRuntime } from '../assemble/index';
import { cacheResponse, type CacheOwner } from './cache-step';
import { copyResponseHeaders } from './copy-response-headers';
import { CLIENT_ABORTED_STATUS } from './exchange-endings';
import { onResponseClose, onResponseDrain, type ResponseOwner } from './proxy-response';
import { CLIENT_GONE, UpstreamAttempts } from './upstream-attempts';

/**
 * The upstream's response on its way to the client (see `ExchangeState` for the layers): the
 * head with hop-by-hop fields out and `Via` in (after the cache and the plugins' response phase
 * had their say), the body chunk by chunk with backpressure both ways, the trailers, and the
 * client leaving before the end. This is the undici dispatch handler's response half; the
 * request half (`onRequestStart`, `onResponseError`) is the attempt loop's.
 */
export abstract class ResponseRelay extends UpstreamAttempts implements Dispatcher.DispatchHandler, ResponseOwner, CacheOwner {
  /** `CacheOwner`: sends the request upstream (the front of the pipeline, `ProxyExchange`). */
  abstract forward(route: RouteRuntime): void;

  /** `CacheOwner`: the upstream request's header list, built once. */
  abstract upstreamHeaders(): string[];

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.done || this.retriedStatus(controller, statusCode, headers)) return;
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

  /** Watches the client's `close` (once): an exchange that ends early aborts what it waits for. */
  watchClient(): void {
    if (this.watching) return;
    this.watching = true;
    const res = this.res;
    res.exchange = this;
    res.on('close', onResponseClose);
  }

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
}

/** Whether undici's trailer object holds any field (it is `{}` for nearly every response). */
function hasFields(trailers: IncomingHttpHeaders): boolean {
  for (const _ in trailers) return true;
  return false;
}
