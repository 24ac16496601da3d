import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
// Module binding rather than the lazily-defined `globalThis.performance` getter.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '@weir/errors';
import type { RequestMetricHandle } from '@weir/obs';
import type { RouteRuntime, RouteTarget, WorkerRuntime } from '../assemble/index';
import { ADMIT_DENIED, type Admission } from '../breaker/index';
import type { GuardedRequest } from '../proxy/index';
import type { EndpointState } from '../registry/index';
import type { Tunnel } from './tunnel';
import type { TunnelHandler } from './tunnel-handler';

/** What the client socket's shared listeners call during the handshake. */
export interface OpeningOwner {
  onClientClose(): void;
  onClientDrain(): void;
}

/** The client socket during the handshake, carrying its exchange for the shared listeners. */
export interface OpeningSocket extends Duplex {
  weirOpening?: OpeningOwner | undefined;
}

/** `close` of the client socket during the handshake (one function, no closure per upgrade). */
export function onOpeningClose(this: OpeningSocket): void {
  const exchange = this.weirOpening;
  if (exchange !== undefined) exchange.onClientClose();
}

/** `drain` of the client socket while a refusal's body is relayed. */
export function onOpeningDrain(this: OpeningSocket): void {
  const exchange = this.weirOpening;
  if (exchange !== undefined) exchange.onClientDrain();
}

/** `finish` of an answered socket: close it. */
export function destroySocket(this: Duplex): void {
  this.destroy();
}

/**
 * All the state of one `Upgrade` request, in one object (STYLE.md rule 7), and nothing else:
 * `TunnelEndings` (tunnel-endings.ts: answers, metrics, release, access log) and
 * `TunnelExchange` (tunnel-exchange.ts: routing, guard, dispatch, the upstream's answer) are
 * layered on it, as the proxy's `ExchangeState` is. Subclasses declare no fields (ES2022 class
 * fields would reset them after this constructor).
 */
export abstract class TunnelState {
  protected readonly handler: TunnelHandler;
  protected readonly listener: string;
  protected readonly runtime: WorkerRuntime;
  protected readonly req: IncomingMessage;
  protected readonly socket: Duplex;
  protected readonly head: Buffer;
  protected readonly startedAt: number;
  /** Read once: Node may clear `req.socket` later. */
  protected readonly remoteAddress: string | undefined;
  protected route: RouteRuntime | null;
  protected target: RouteTarget | null;
  protected metric: RequestMetricHandle | null;
  protected endpoint: number;
  protected endpointState: EndpointState | null;
  protected controller: Dispatcher.DispatchController | null;
  /** Holds a request permit of the upstream's concurrency limits. */
  protected admitted: boolean;
  /** The attempt waits in a pool's queue (counted in the limits' pending). */
  protected pending: boolean;
  protected admission: Admission;
  /** Status of the upstream's answer relayed to the client; 0 before one. */
  protected status: number;
  /** What the client got, for the access log: status and the proxy's error code, if any. */
  protected settledStatus: number;
  protected code: ErrorCode | null;
  /** The answer is settled (metrics recorded); later callbacks are no-ops. */
  protected settled: boolean;
  /** The client socket closed during the handshake. */
  protected clientGone: boolean;
  /** Everything held was given back (exactly once). */
  protected released: boolean;
  /** Plugin and limit state of a route that has either; null otherwise. */
  protected guarded: GuardedRequest | null;
  /** `copyRequestHeaders`' flags of a guarded upgrade's header list (built before the guard). */
  protected headerFlags: number;
  /** The established tunnel, if the upstream switched protocols. */
  tunnel: Tunnel | null;
  /** `RoutedRequest`: the upstream request's path (origin-form target, with the query). */
  path: string;
  /** `RoutedRequest`: the authority of an absolute-form target, which replaces `Host`; else null. */
  hostOverride: string | null;
  /** `RoutedRequest`: the request came on a TLS listener (`X-Forwarded-Proto: https`). */
  secure: boolean;

  constructor(handler: TunnelHandler, listener: string, runtime: WorkerRuntime, req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.handler = handler;
    this.listener = listener;
    this.runtime = runtime;
    this.req = req;
    this.socket = socket;
    this.head = head;
    this.startedAt = performance.now();
    this.remoteAddress = req.socket.remoteAddress;
    this.route = null;
    this.target = null;
    this.metric = null;
    this.endpoint = -1;
    this.endpointState = null;
    this.controller = null;
    this.admitted = false;
    this.pending = false;
    this.admission = ADMIT_DENIED;
    this.status = 0;
    this.settledStatus = 0;
    this.code = null;
    this.settled = false;
    this.clientGone = false;
    this.released = false;
    this.guarded = null;
    this.headerFlags = 0;
    this.tunnel = null;
    this.path = '';
    this.hostOverride = null;
    this.secure = false;
  }

  /** `GuardOwner`: the upgrade was already answered or the client left. */
  get finished(): boolean {
    return this.settled || this.clientGone;
  }
}
