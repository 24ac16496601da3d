import type { IncomingMessage } from 'node:http';
import type { AccessLog, DataplaneMetrics } from '@weir/obs';
import type { WorkerRuntime } from '../assemble/index';
import { sendError } from './error-response';
import { ProxyExchange } from './proxy-exchange';
import type { ClientResponse } from './proxy-response';
import { UploadWatch } from './upload-watch';

/**
 * Where requests get their runtime: `RuntimeStore<WorkerRuntime>` from `@weir/runtime`
 * satisfies it, and so does the data plane's `ArmedRuntimes`, which picks the rollout arm from
 * the request. Every `acquire()` is matched by exactly one `release()`.
 */
export interface RuntimeSource {
  current(): WorkerRuntime | null;
  acquire(req: IncomingMessage): WorkerRuntime;
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

/**
 * Most requests held while a worker waits for its first commit; more get 503
 * WEIR_ERR_NOT_READY at once. The window is the few milliseconds between prepare and commit.
 */
export const MAX_HELD_REQUESTS = 1024;

/**
 * The request pipeline's entry point, one per data plane and shared by every listener: it holds
 * what all exchanges share (runtime source, metrics, access log, drain state) and starts one
 * `ProxyExchange` per request.
 */
export class ProxyHandler {
  readonly runtimes: RuntimeSource;
  readonly metrics: DataplaneMetrics | null;
  /**
   * The access log, or null when disabled: then no record is built at all. Swapped by the
   * data plane when a committed spec turns it on or off.
   */
  accessLog: AccessLog | null;
  /** Reports exceptions the pipeline caught (see `ProxyHandlerOptions.onInternalError`). */
  readonly onInternalError: (err: unknown) => void;
  /**
   * Requests that arrived before the first commit, as flat triples (listener, req, res).
   *
   * A worker opens its listeners during prepare, and a restarted worker shares the listening
   * socket with workers that serve already: connections queued on that socket can reach it
   * before its commit. Holding them until the commit (or failing them with 503 on abort) keeps
   * "every worker serves the committed version" true without failing any request.
   */
  private held: unknown[];
  /** Request bodies in flight, checked for client silence by one shared coarse timer. */
  readonly uploads: UploadWatch;

  constructor(options: ProxyHandlerOptions) {
    this.runtimes = options.runtimes;
    this.metrics = options.metrics ?? null;
    this.accessLog = null;
    this.onInternalError = options.onInternalError ?? ignore;
    this.held = [];
    this.uploads = new UploadWatch();
  }

  /** Requests waiting for the first commit. */
  get heldCount(): number {
    return this.held.length / 3;
  }

  /** Serves the requests held before the first commit (call after publishing a runtime). */
  releaseHeld(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    for (let i = 0; i < held.length; i += 3) {
      const res = held[i + 2] as ClientResponse;
      if (res.destroyed || res.writableEnded) continue;
      this.handle(held[i] as string, held[i + 1] as IncomingMessage, res);
    }
  }

  /** Answers every held request 503 WEIR_ERR_NOT_READY (the prepared version was aborted). */
  rejectHeld(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    for (let i = 0; i < held.length; i += 3) {
      const res = held[i + 2] as ClientResponse;
      if (!res.destroyed && !res.writableEnded) sendError(res, 'WEIR_ERR_NOT_READY');
    }
  }

  /**
   * Serves one request that arrived on listener `listener` (its name, which selects the route
   * table). Before the first commit there is no runtime: the request is held until the commit
   * (see `held`), or answered 503 WEIR_ERR_NOT_READY when too many already wait.
   */
  handle(listener: string, req: IncomingMessage, res: ClientResponse): void {
    const runtimes = this.runtimes;
    if (runtimes.current() === null) {
      if (this.held.length < MAX_HELD_REQUESTS * 3) this.held.push(listener, req, res);
      else sendError(res, 'WEIR_ERR_NOT_READY');
      return;
    }
    const exchange = new ProxyExchange(this, listener, runtimes.acquire(req), req, res);
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
