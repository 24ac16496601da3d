import type { MonotonicClock } from './auth-rate-limiter';

/** Options of {@link ConnectionTable}. */
export interface ConnectionTableOptions {
  /**
   * Connections open at most. A connection arriving at the cap closes the first connection in
   * shedding order (see {@link ConnectionTable}) instead of being refused. Default `1024`.
   */
  readonly maxConnections?: number;
  /**
   * Time from accepting a connection to the end of its first request's headers; past it,
   * {@link ConnectionTable.expired} returns the connection. Measured from the accept, whatever
   * bytes have arrived since. Default `10000`.
   */
  readonly headersTimeoutMs?: number;
  /** Default: `performance.now()`. */
  readonly clock?: MonotonicClock;
}

/** What {@link ConnectionTable.admit} decided: admit (closing `shed` first when not null), or refuse. */
export type Admission<C> = { readonly admitted: true; readonly shed: C | null } | { readonly admitted: false };

/**
 * Shedding classes, in the order connections are shed (oldest first within each). Trusted
 * connections (one of their requests presented a valid token) come last, and a trusted
 * connection with a request in progress is never shed.
 */
const FRESH = 0; // accepted, no request headers complete yet
const IDLE = 1; // between requests, never authenticated
const BUSY = 2; // a request in progress, never authenticated
const TRUSTED_IDLE = 3; // between requests, authenticated before
const TRUSTED_BUSY = 4; // a request in progress, authenticated: never shed
const SHEDDABLE = [FRESH, IDLE, BUSY, TRUSTED_IDLE] as const;

interface Entry {
  cls: number;
  /** When it entered its class (accept, or end of its last request). */
  since: number;
  inFlight: number;
  trusted: boolean;
}

const defaultClock: MonotonicClock = { now: () => performance.now() };

/**
 * The admin server's connection bookkeeping, with no sockets: which connections are open, in
 * which state, and which one to close when a new one arrives at the cap (issue 15: 1,100 silent
 * connections held every slot of a plain `maxConnections` cap, so `/admin/health` and operators
 * got connection resets for as long as the flood lasted).
 *
 * Each class is a `Map` in insertion order, so "oldest of a class" is its first key and every
 * operation is O(1); `expired()` walks `FRESH` from the oldest and stops at the first
 * connection still in time.
 *
 *     admit ──> FRESH ──request──> BUSY ──end──> IDLE ──request──> BUSY ...
 *                 │ trust() on any of them moves it to TRUSTED_BUSY / TRUSTED_IDLE
 *     shed order: FRESH, IDLE, BUSY, TRUSTED_IDLE (oldest first); TRUSTED_BUSY never
 *
 * So unauthenticated connections, however many and however silent, can only displace each
 * other: a new connection is refused only when every open connection is an authenticated one
 * with a request in progress.
 */
export class ConnectionTable<C> {
  private readonly maxConnections: number;
  private readonly headersTimeoutMs: number;
  private readonly clock: MonotonicClock;
  private readonly entries = new Map<C, Entry>();
  private readonly classes: Map<C, Entry>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];

  constructor(options: ConnectionTableOptions = {}) {
    this.maxConnections = options.maxConnections ?? 1024;
    this.headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
    this.clock = options.clock ?? defaultClock;
  }

  /** Connections open (admitted and not yet closed, shed or expired). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Take `conn` in. At the cap, the first connection in shedding order leaves the table and is
   * returned as `shed` for the caller to close; when none may be shed, `conn` is refused.
   */
  admit(conn: C): Admission<C> {
    let shed: C | null = null;
    if (this.entries.size >= this.maxConnections) {
      shed = this.victim();
      if (shed === null) return { admitted: false };
      this.remove(shed);
    }
    const entry: Entry = { cls: FRESH, since: this.clock.now(), inFlight: 0, trusted: false };
    this.entries.set(conn, entry);
    (this.classes[FRESH] as Map<C, Entry>).set(conn, entry);
    return { admitted: true, shed };
  }

  /** A request's headers arrived on `conn`. */
  requestStarted(conn: C): void {
    const entry = this.entries.get(conn);
    if (entry === undefined) return;
    entry.inFlight += 1;
    if (entry.inFlight === 1) this.move(conn, entry, entry.trusted ? TRUSTED_BUSY : BUSY);
  }

  /** A response on `conn` finished (or was cut). */
  requestEnded(conn: C): void {
    const entry = this.entries.get(conn);
    if (entry === undefined || entry.inFlight === 0) return;
    entry.inFlight -= 1;
    if (entry.inFlight === 0) this.move(conn, entry, entry.trusted ? TRUSTED_IDLE : IDLE);
  }

  /** A request on `conn` presented a valid token: shed it only after every unauthenticated one. */
  trust(conn: C): void {
    const entry = this.entries.get(conn);
    if (entry === undefined || entry.trusted) return;
    entry.trusted = true;
    // A fresh connection has no request yet: requestStarted() files it as TRUSTED_BUSY later.
    if (entry.cls === BUSY) this.move(conn, entry, TRUSTED_BUSY);
    else if (entry.cls === IDLE) this.move(conn, entry, TRUSTED_IDLE);
  }

  /** Forget `conn` (it closed). Unknown connections are ignored. */
  remove(conn: C): void {
    const entry = this.entries.get(conn);
    if (entry === undefined) return;
    this.entries.delete(conn);
    (this.classes[entry.cls] as Map<C, Entry>).delete(conn);
  }

  /**
   * Connections accepted `headersTimeoutMs` ago or more that have not completed a request's
   * headers, oldest first. They leave the table; the caller closes them.
   */
  expired(): C[] {
    const fresh = this.classes[FRESH] as Map<C, Entry>;
    const deadline = this.clock.now() - this.headersTimeoutMs;
    const out: C[] = [];
    for (const [conn, entry] of fresh) {
      if (entry.since > deadline) break;
      out.push(conn);
    }
    for (let i = 0; i < out.length; i++) this.remove(out[i] as C);
    return out;
  }

  /** The first connection in shedding order, or null when every one is trusted and busy. */
  private victim(): C | null {
    for (let i = 0; i < SHEDDABLE.length; i++) {
      const first = (this.classes[SHEDDABLE[i] as number] as Map<C, Entry>).keys().next();
      if (first.done !== true) return first.value;
    }
    return null;
  }

  /** Re-file `conn` at the end of class `cls`, which keeps every class ordered by `since`. */
  private move(conn: C, entry: Entry, cls: number): void {
    (this.classes[entry.cls] as Map<C, Entry>).delete(conn);
    entry.cls = cls;
    entry.since = this.clock.now();
    (this.classes[cls] as Map<C, Entry>).set(conn, entry);
  }
}
