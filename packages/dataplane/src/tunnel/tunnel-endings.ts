import { performance } from 'node:perf_hooks';
import { catalogue, type ErrorCode } from '@weir/errors';
import type { AccessLog } from '@weir/obs';
import type { RouteTarget, UpstreamRuntime } from '../assemble/index';
import { ADMIT_DENIED } from '../breaker/index';
import { findHost } from '../proxy/index';
import { rawErrorResponse } from '../server/index';
import { TunnelState, destroySocket, onOpeningClose, type OpeningSocket } from './tunnel-state';

/**
 * How an upgrade ends (see `TunnelState`): an answer written on the bare socket, the handshake's
 * metrics settled once, and `release`, exactly once, which gives back the upstream permit, the
 * queue slot, the endpoint's load, the guard's state and the runtime, and writes the access-log
 * record. For a tunnel that is when both its connections closed.
 */
export abstract class TunnelEndings extends TunnelState {
  /** An exception escaped `start` (a bug): answer 500 if nothing was written, always release. */
  crash(err: unknown): void {
    this.handler.onInternalError(err);
    if (this.tunnel !== null) {
      this.tunnel.close('error');
      return;
    }
    if (!this.settled && this.status === 0) {
      this.refuse('WEIR_ERR_INTERNAL');
      return;
    }
    this.socket.destroy();
    this.release();
  }

  /** Answers with the JSON error for `code` on the bare socket and closes it. */
  protected refuse(code: ErrorCode): void {
    this.answer(catalogue[code].status, rawErrorResponse(code), code);
  }

  /** Writes a complete answer, closes the socket once it is flushed, settles and releases. */
  protected answer(status: number, bytes: Buffer, code: ErrorCode | null = null): void {
    const socket = this.socket;
    if (socket.writable) {
      socket.end(bytes);
      socket.once('finish', destroySocket);
    } else {
      socket.destroy();
    }
    this.settle(status, code);
    this.release();
  }

  /**
   * Records the handshake's outcome once: request metrics, like any request (the duration is the
   * time to the upstream's answer, not the tunnel's life).
   */
  protected settle(status: number, code: ErrorCode | null): void {
    if (this.settled) return;
    this.settled = true;
    this.settledStatus = status;
    this.code = code;
    if (this.metric !== null) this.metric.observe(status, (performance.now() - this.startedAt) / 1000);
  }

  /** Feeds the attempt's outcome to the breaker, once. */
  protected recordBreaker(upstream: UpstreamRuntime, success: boolean): void {
    const admission = this.admission;
    if (admission === ADMIT_DENIED || upstream.breaker === null) return;
    this.admission = ADMIT_DENIED;
    upstream.breaker.record(admission, success);
  }

  protected leaveQueue(): void {
    if (this.pending) {
      this.pending = false;
      (this.target as RouteTarget).upstream.limits.pendingEnd();
    }
  }

  /** Gives back the permit, queue slot, endpoint load and the runtime, exactly once. */
  protected release(): void {
    if (this.released) return;
    this.released = true;
    const socket = this.socket as OpeningSocket;
    if (socket.weirOpening !== undefined) {
      socket.weirOpening = undefined;
      socket.off('close', onOpeningClose);
    }
    const target = this.target;
    if (target !== null) {
      const upstream = target.upstream;
      this.leaveQueue();
      const state = this.endpointState;
      if (state !== null) {
        state.active--;
        this.endpointState = null;
      }
      if (this.admission !== ADMIT_DENIED && upstream.breaker !== null) upstream.breaker.cancel(this.admission);
      this.admission = ADMIT_DENIED;
      if (this.admitted) upstream.limits.releaseRequest();
      this.admitted = false;
    }
    if (this.guarded !== null) this.guarded.leave();
    const handler = this.handler;
    if (handler.accessLog !== null) this.log(handler.accessLog);
    handler.runtimes.release(this.runtime);
  }

  /**
   * One access-log record per upgrade request, written when everything ended: for a tunnel,
   * status 101, the tunnel's whole life as the duration and the bytes sent to the client.
   */
  private log(accessLog: AccessLog): void {
    const req = this.req;
    const target = this.target;
    const tunnel = this.tunnel;
    const durationMs = performance.now() - this.startedAt;
    accessLog.write({
      time: Date.now() - durationMs,
      method: req.method ?? '',
      path: req.url ?? '',
      host: findHost(req.rawHeaders) ?? '',
      status: this.settledStatus,
      route: this.route === null ? '' : this.route.name,
      upstream: target === null ? '' : target.upstream.name,
      endpoint: target === null || this.endpoint < 0 ? '' : (target.upstream.addresses[this.endpoint] ?? ''),
      durationMs,
      bytesSent: tunnel === null ? 0 : tunnel.downstreamBytes,
      remoteAddress: this.remoteAddress ?? '',
      code: this.code,
    });
  }
}
