import type { CacheEntry } from './cache-entry';
import type { Clock } from './clock';

/** Returned by `Collapser.join` to the request that must fetch upstream (and later `release`). */
export const LEADER: unique symbol = Symbol('weir.cache.leader');
export type Leader = typeof LEADER;

/** Timer functions (injectable; default: global `setTimeout` with `unref`). */
export interface CollapseTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const defaultTimers: CollapseTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Waiters per key by default; beyond it, requests go upstream themselves. */
export const DEFAULT_MAX_WAITERS = 1024;

const NULL_RESULT: Promise<CacheEntry | null> = Promise.resolve(null);

class Waiter {
  timer: unknown = null;
  constructor(
    readonly flight: Flight,
    readonly resolve: (entry: CacheEntry | null) => void,
  ) {}
}

class Flight {
  readonly waiters: Waiter[] = [];
  constructor(readonly startedAt: number) {}
}

/**
 * Collapsed forwarding: while one request (the leader) fetches a key upstream, later requests
 * for the same key wait for its result instead of going upstream too.
 *
 * - `join(key)` returns `LEADER` when nobody is fetching (the caller fetches, then must call
 *   `release`), otherwise a promise of the leader's entry or `null`. `null` means "go upstream
 *   yourself": the leader's response was not cacheable, the wait exceeded `timeoutMs`, or the
 *   key already had `maxWaiters` waiters.
 * - A flight older than `timeoutMs` (a leader that never released) is taken over: the next
 *   joiner becomes the leader.
 * - `release(key, entry)` resolves every waiter and ends the flight.
 */
export class Collapser {
  private readonly flights = new Map<string, Flight>();
  /** Requests that waited on a leader (counted at join). */
  collapsed = 0;
  /** Waits that timed out. */
  timeouts = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly maxWaiters: number = DEFAULT_MAX_WAITERS,
    private readonly timers: CollapseTimers = defaultTimers,
  ) {}

  /** Keys with a leader in flight. */
  get inFlight(): number {
    return this.flights.size;
  }

  join(key: string): Leader | Promise<CacheEntry | null> {
    const now = this.clock.now();
    const flight = this.flights.get(key);
    if (flight === undefined || now - flight.startedAt >= this.timeoutMs) {
      this.flights.set(key, new Flight(now));
      return LEADER;
    }
    if (flight.waiters.length >= this.maxWaiters) return NULL_RESULT;
    this.collapsed++;
    return new Promise<CacheEntry | null>((resolve) => {
      const waiter = new Waiter(flight, resolve);
      flight.waiters.push(waiter);
      waiter.timer = this.timers.setTimeout(() => this.expire(waiter), this.timeoutMs);
    });
  }

  /**
   * Becomes the leader of `key` when no live flight has it (true), without ever waiting: a
   * background refresh that finds a fetch in flight simply skips (false).
   */
  lead(key: string): boolean {
    const now = this.clock.now();
    const flight = this.flights.get(key);
    if (flight !== undefined && now - flight.startedAt < this.timeoutMs) return false;
    this.flights.set(key, new Flight(now));
    return true;
  }

  release(key: string, entry: CacheEntry | null): void {
    const flight = this.flights.get(key);
    if (flight === undefined) return;
    this.flights.delete(key);
    const waiters = flight.waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i] as Waiter;
      this.timers.clearTimeout(w.timer);
      w.resolve(entry);
    }
    waiters.length = 0;
  }

  private expire(waiter: Waiter): void {
    const list = waiter.flight.waiters;
    const i = list.indexOf(waiter);
    if (i === -1) return;
    list.splice(i, 1);
    this.timeouts++;
    waiter.resolve(null);
  }
}
