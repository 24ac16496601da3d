import type * as http from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@weir/obs';
import type { MonotonicClock } from './auth-rate-limiter';
import { ConnectionTable } from './connection-table';

/** Options of {@link ConnectionGuard}. */
export interface ConnectionGuardOptions {
  /** Connections open at most; a new one at the cap sheds the oldest unauthenticated one. Default `1024`. */
  readonly maxConnections?: number;
  /**
   * A new connection must complete its first request's headers within this time of its accept
   * (closed by the guard); a later request's headers within this time of its first byte (Node's
   * `headersTimeout`, 408). Default `10000`.
   */
  readonly headersTimeoutMs?: number;
  /** A whole request, body included, must arrive within this time (Node's `requestTimeout`, 408). Default `120000`. */
  readonly requestTimeoutMs?: number;
  /** A connection idle between requests is closed after this (Node's `keepAliveTimeout`, plus Node's 1 s grace). Default `5000`. */
  readonly keepAliveTimeoutMs?: number;
  /** How often expired connections are closed (so they close up to this late); also Node's `connectionsCheckingInterval`. Default `1000`. */
  readonly sweepIntervalMs?: number;
  /** At most one `admin connections shed` line per this interval. Default `10000`. */
  readonly logIntervalMs?: number;
  /** Clock of the table and the log interval. Default: `performance.now()`. */
  readonly clock?: MonotonicClock;
}

/**
 * Puts an http.Server's connections (create it with {@link ConnectionGuard.serverOptions}, then
 * {@link ConnectionGuard.attach} it) under a {@link ConnectionTable}: every accepted socket is
 * admitted there (closing the connection it sheds, or the new one when nothing may be shed),
 * every request and response moves it between states, and a timer closes connections that
 * have not sent a request's headers within `headersTimeoutMs` of their accept.
 *
 * Why not Node's own limits (measured on Node 20.20, see apps/weir/docs/admin-api.md):
 * `server.maxConnections` refuses the *new* connection, so silent ones keep every slot; and
 * `headersTimeout` is only enforced when `connectionsCheckingInterval` (30 s by default) runs,
 * with the clock restarting at a connection's first byte, so a silent connection lived 30 s and
 * a slow one up to twice the timeout. Node's checks stay on as a second line.
 *
 * Sheds and refusals are counted and logged at warn as `admin connections shed`, at most once
 * per `logIntervalMs` (a flood must not become a log flood).
 */
export class ConnectionGuard {
  /** Node's own timeouts for the server, from the options. */
  readonly serverOptions: http.ServerOptions;
  private readonly logger: Logger;
  private readonly table: ConnectionTable<Socket>;
  private readonly maxConnections: number;
  private readonly sweepIntervalMs: number;
  private readonly logIntervalMs: number;
  private readonly clock: MonotonicClock;
  private timer: NodeJS.Timeout | null = null;
  private shed = 0;
  private refused = 0;
  private expired = 0;
  private loggedAt = -Infinity;

  constructor(logger: Logger, options: ConnectionGuardOptions = {}) {
    this.logger = logger;
    this.maxConnections = options.maxConnections ?? 1024;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
    this.logIntervalMs = options.logIntervalMs ?? 10_000;
    this.clock = options.clock ?? { now: () => performance.now() };
    const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
    this.table = new ConnectionTable({ maxConnections: this.maxConnections, headersTimeoutMs, clock: this.clock });
    this.serverOptions = {
      headersTimeout: headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? 120_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
      connectionsCheckingInterval: this.sweepIntervalMs,
    };
  }

  /** Track `server`'s connections (made with {@link serverOptions}); once per server. */
  attach(server: http.Server): void {
    // After node:http's own 'connection' listener (it must set a socket up before we may
    // destroy it), but before the request handler, so the table knows a request before trust().
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.onRequest(req, res));
  }

  /** Connections open. */
  get size(): number {
    return this.table.size;
  }

  /** Start closing expired connections (call once listening). The timer does not hold the process open. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.timer.unref();
  }

  /** Stop the timer (the server closes the connections). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** A request on `socket` presented a valid token: shed its connection only after every unauthenticated one. */
  trust(socket: Socket): void {
    this.table.trust(socket);
  }

  /** Close the connections past their header deadline, and log sheds since the last line. */
  sweep(): void {
    const expired = this.table.expired();
    for (let i = 0; i < expired.length; i++) (expired[i] as Socket).destroy();
    this.expired += expired.length;
    if (this.shed + this.refused === 0) return;
    const now = this.clock.now();
    if (now - this.loggedAt < this.logIntervalMs) return;
    this.loggedAt = now;
    this.logger.warn(
      { shed: this.shed, refused: this.refused, expired: this.expired, open: this.table.size, maxConnections: this.maxConnections },
      'admin connections shed',
    );
    this.shed = 0;
    this.refused = 0;
    this.expired = 0;
  }

  private onConnection(socket: Socket): void {
    const admission = this.table.admit(socket);
    if (!admission.admitted) {
      this.refused += 1;
      socket.destroy();
      return;
    }
    if (admission.shed !== null) {
      this.shed += 1;
      admission.shed.destroy();
    }
    socket.once('close', () => this.table.remove(socket));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    this.table.requestStarted(socket);
    // 'close' fires once per response: after it finished, or when the connection was cut.
    res.once('close', () => this.table.requestEnded(socket));
  }
}
