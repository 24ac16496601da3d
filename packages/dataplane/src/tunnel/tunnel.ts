import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TunnelOutcome, TunnelRouteMetrics } from '@weir/obs';

/** What a tunnel tells when it has ended: its opening exchange releases what it holds. */
export interface TunnelOwner {
  onTunnelEnd(tunnel: Tunnel): void;
}

/** A socket of a tunnel, carrying the tunnel for the shared listeners below (no closures). */
interface TunnelSocket extends Duplex {
  weirTunnel?: Tunnel;
}

/**
 * One established tunnel: the client socket and the upstream socket after a 101, bytes copied
 * both ways with `pipe` (so backpressure is Node's: a side that cannot keep up pauses the other
 * side's reading), counted per chunk into the route's metrics.
 *
 * ```
 *   client ──pipe──> upstream      each 'data' also adds to upstreamBytes / downstreamBytes
 *   client <──pipe── upstream      'end' of one side ends the other (half-close passes through)
 *   a side 'close'  -> the other is ended (flushed, then destroyed); an error destroys it at once
 *   both closed     -> finish: timers cleared, metrics, registry, owner.onTunnelEnd (once)
 *   idle timer (client socket's timeout: no byte either way), lifetime timer, drain -> close()
 * ```
 *
 * The idle timeout is the client socket's own inactivity timer: every byte of the tunnel is
 * either read from or written to the client socket, so "no activity on it" is "no bytes either
 * way" and one timer per tunnel suffices.
 */
export class Tunnel {
  /** Route name, for logs and tests. */
  readonly route: string;
  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly owner: TunnelOwner;
  private readonly metrics: TunnelRouteMetrics | null;
  private readonly onEnd: (tunnel: Tunnel) => void;
  private lifetimeTimer: NodeJS.Timeout | null;
  /** Set by whoever ends the tunnel on purpose (timeout, drain) or by the first error. */
  private outcome: TunnelOutcome | null;
  private closedSides: number;
  private finished: boolean;
  /** Bytes copied each way, kept here too so tests and logs see one tunnel's own counts. */
  upstreamBytes: number;
  downstreamBytes: number;

  constructor(
    route: string,
    client: Duplex,
    upstream: Duplex,
    owner: TunnelOwner,
    metrics: TunnelRouteMetrics | null,
    onEnd: (tunnel: Tunnel) => void,
  ) {
    this.route = route;
    this.client = client as Socket;
    this.upstream = upstream as Socket;
    this.owner = owner;
    this.metrics = metrics;
    this.onEnd = onEnd;
    this.lifetimeTimer = null;
    this.outcome = null;
    this.closedSides = 0;
    this.finished = false;
    this.upstreamBytes = 0;
    this.downstreamBytes = 0;
  }

  /**
   * Starts copying. `head` is what the client sent after its request head (Node read it with
   * the head); it goes upstream first.
   * @param idleMs close after this long without a byte either way; 0 = never
   * @param maxLifetimeMs close after this long whatever the traffic; 0 = never
   */
  start(head: Buffer, idleMs: number, maxLifetimeMs: number): void {
    const client = this.client as Socket & TunnelSocket;
    const upstream = this.upstream as Socket & TunnelSocket;
    client.weirTunnel = this;
    upstream.weirTunnel = this;
    client.on('error', onSocketError);
    upstream.on('error', onSocketError);
    client.on('close', onSocketClose);
    upstream.on('close', onSocketClose);
    client.on('data', onClientData);
    upstream.on('data', onUpstreamData);
    if (idleMs > 0) {
      client.setTimeout(idleMs);
      client.on('timeout', onClientIdle);
    }
    if (maxLifetimeMs > 0) this.lifetimeTimer = setTimeout(onLifetime, maxLifetimeMs, this).unref();
    if (head.length > 0) {
      this.countUpstream(head.length);
      upstream.write(head);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // Either socket may already have closed (a client that sent its request and left): its
    // 'close' was emitted before the listener above existed.
    if (client.closed) this.sideClosed(client, false);
    if (upstream.closed) this.sideClosed(upstream, false);
  }

  /**
   * Ends the tunnel now, both connections destroyed (timeouts, drain). A tunnel carries opaque
   * bytes: there is no protocol-level goodbye Weir could send without risking a cut frame, so the
   * endpoints see their connection close, as behind nginx or Envoy.
   */
  close(outcome: TunnelOutcome): void {
    if (this.finished) return;
    if (this.outcome === null) this.outcome = outcome;
    this.client.destroy();
    this.upstream.destroy();
  }

  /** `data` from the client: counted (the pipe forwards it). */
  countUpstream(n: number): void {
    this.upstreamBytes += n;
    if (this.metrics !== null) this.metrics.upstreamBytes += n;
  }

  /** `data` from the upstream: counted. */
  countDownstream(n: number): void {
    this.downstreamBytes += n;
    if (this.metrics !== null) this.metrics.downstreamBytes += n;
  }

  /** A socket failed (reset, EPIPE): the tunnel is broken both ways. */
  sideFailed(): void {
    if (this.outcome === null) this.outcome = 'error';
  }

  /**
   * A socket closed. The first to close ends the other: gracefully (its queued bytes are
   * flushed first) after a clean close, at once after an error. The second finishes the tunnel.
   */
  sideClosed(socket: Duplex, hadError: boolean): void {
    const s = socket as TunnelSocket;
    if (s.weirTunnel !== this) return;
    s.weirTunnel = undefined;
    this.closedSides++;
    if (this.closedSides === 2) {
      this.finish();
      return;
    }
    const other = socket === this.client ? this.upstream : this.client;
    if (hadError || this.outcome !== null) other.destroy();
    else other.destroySoon();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.lifetimeTimer !== null) {
      clearTimeout(this.lifetimeTimer);
      this.lifetimeTimer = null;
    }
    if (this.metrics !== null) this.metrics.closed(this.outcome ?? 'closed');
    this.onEnd(this);
    this.owner.onTunnelEnd(this);
  }

  /** How the tunnel ended (`closed` while it runs or ended cleanly). */
  get endedBy(): TunnelOutcome {
    return this.outcome ?? 'closed';
  }

  /** Whether both connections have closed and everything was released. */
  get ended(): boolean {
    return this.finished;
  }
}

function onSocketError(this: TunnelSocket): void {
  const tunnel = this.weirTunnel;
  if (tunnel !== undefined) tunnel.sideFailed();
}

function onSocketClose(this: TunnelSocket, hadError: boolean): void {
  const tunnel = this.weirTunnel;
  if (tunnel !== undefined) tunnel.sideClosed(this, hadError);
}

function onClientData(this: TunnelSocket, chunk: Buffer): void {
  const tunnel = this.weirTunnel;
  if (tunnel !== undefined) tunnel.countUpstream(chunk.length);
}

function onUpstreamData(this: TunnelSocket, chunk: Buffer): void {
  const tunnel = this.weirTunnel;
  if (tunnel !== undefined) tunnel.countDownstream(chunk.length);
}

function onClientIdle(this: TunnelSocket): void {
  const tunnel = this.weirTunnel;
  if (tunnel !== undefined) tunnel.close('idle-timeout');
}

function onLifetime(tunnel: Tunnel): void {
  tunnel.close('max-lifetime');
}
