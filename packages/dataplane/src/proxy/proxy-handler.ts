import type { IncomingMessage } from 'node:http';
import type { AccessLog, DataplaneMetrics, RequestMetricHandle } from '@weir/obs';
import { NO_UPSTREAM_LABEL, type WorkerRuntime } from '../assemble/index';
import { sendError } from './error-response';
import { ProxyExchange } from './proxy-exchange';
import type { ProxyResponse } from './proxy-response';

/**
 * Where requests get their runtime: `RuntimeStore<WorkerRuntime>` from `@weir/runtime`
 * satisfies it. Every `acquire()` is matched by exactly one `release()`.
 */
export interface RuntimeSource {
  current(): WorkerRuntime | null;
  acquire(): WorkerRuntime;
  release(runtime: WorkerRuntime): void;
}

/** Options of a `ProxyHandler`. */
export interface ProxyHandlerOptions {
  readonly runtimes: RuntimeSource;
  /** Request metrics; null or absent records none. */
  readonly metrics?: DataplaneMetrics | null;
  /**
   * Told about an unexpected exception while serving a request (a bug: the request got 500
   * WEIR_ERR_INTERNAL or a cut connection). Default: ignored.
   */
  readonly onInternalError?: (err: unknown) => void;
}

/** The route label of requests no route matched. */
export const NO_ROUTE_LABEL = '';

/**
 * The request pipeline's entry point, one per data plane and shared by every listener: it holds
 * what all exchanges share (runtime source, metrics, access log, drain state) and starts one
 * `ProxyExchange` per request.
 */
export class ProxyHandler {
  readonly runtimes: RuntimeSource;
  readonly metrics: DataplaneMetrics | null;
  /** Metrics of requests no route matched, created once. */
  readonly noRouteMetric: RequestMetricHandle | null;
  /**
   * The access log, or null when disabled: then no record is built at all. Swapped by the
   * data plane when a committed spec turns it on or off.
   */
  accessLog: AccessLog | null;
  /** Reports exceptions the pipeline caught (see `ProxyHandlerOptions.onInternalError`). */
  readonly onInternalError: (err: unknown) => void;

  constructor(options: ProxyHandlerOptions) {
    this.runtimes = options.runtimes;
    this.metrics = options.metrics ?? null;
    this.noRouteMetric = this.metrics === null ? null : this.metrics.requestLabels(NO_ROUTE_LABEL, NO_UPSTREAM_LABEL);
    this.accessLog = null;
    this.onInternalError = options.onInternalError ?? ignore;
  }

  /**
   * Serves one request that arrived on listener `listener` (its name, which selects the route
   * table). Before the first commit there is no runtime and every request gets 404
   * WEIR_ERR_NO_ROUTE: no configuration, no route.
   */
  handle(listener: string, req: IncomingMessage, res: ProxyResponse): void {
    const runtimes = this.runtimes;
    if (runtimes.current() === null) {
      sendError(res, 'WEIR_ERR_NO_ROUTE');
      return;
    }
    const exchange = new ProxyExchange(this, listener, runtimes.acquire(), req, res);
    // A throw here would leak the runtime reference and leave the client hanging; V8 optimises
    // try/catch, so the guard costs nothing on the normal path.
    try {
      exchange.start();
    } catch (err) {
      exchange.crash(err);
    }
  }
}

function ignore(): void {
  // No reporter configured.
}
