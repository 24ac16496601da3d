import { leaseBatchSize } from './lease-sizing';
import type { Clock, LeaseGrant, LeaseTransport, LimitParams, TakeResult } from './lease-types';
import { admittedResult, deniedResult, DENIED_ONE_SECOND } from './take-results';
import { TokenBucket } from './token-bucket';

/** Settings of a `LeaseClient`. */
export interface LeaseClientOptions {
  /**
   * Workers sharing the host's buckets (the fleet size). Sizes batches (`leaseBatchSize`) and
   * the fallback share while the primary is unreachable. Default 1: pass the real count, or
   * batches are W times larger than the accuracy bound in apps/weir/docs/rate-limits.md assumes.
   */
  readonly workers?: number;
  /**
   * Leased tokens older than this are handed back instead of spent, so an idle worker does not
   * sit on tokens another worker needs, nor spend stale ones on top of a refilled bucket.
   * Default 1000 ms.
   */
  readonly leaseTtlMs?: number;
  /**
   * After a failed lease request (primary gone, IPC timeout) this worker decides alone for this
   * long before asking again. Default 1000 ms.
   */
  readonly failureHoldMs?: number;
  /**
   * Most (limit, key) slots held. Default 10000. Reaching it first drops idle slots; if that
   * frees less than a tenth, the oldest slots go (their tokens handed back) until 90% remain.
   */
  readonly maxKeys?: number;
  /** Told about every failed lease request (for a metric or a log line). Must not throw. */
  readonly onTransportError?: (error: unknown) => void;
}

/** Default `LeaseClientOptions.leaseTtlMs`. */
export const DEFAULT_LEASE_TTL_MS = 1000;
/** Default `LeaseClientOptions.failureHoldMs`. */
export const DEFAULT_FAILURE_HOLD_MS = 1000;
/** Default `LeaseClientOptions.maxKeys`. */
export const DEFAULT_CLIENT_MAX_KEYS = 10_000;

/** One (limit, key) in this worker. Every field is assigned here (STYLE.md rule 7). */
class LeaseSlot {
  readonly limit: LimitParams;
  readonly key: string;
  readonly wholeBurst: number;
  /** This worker's normal lease size (`leaseBatchSize` with one take waiting). */
  readonly batch: number;
  /**
   * Shortest time a denial is cached: the time one batch per worker takes to accrue (about
   * LEASE_SHARE_SECONDS), less when the burst could not keep that much.
   */
  readonly backoffMs: number;
  /** Leased tokens not yet spent. */
  tokens = 0;
  leasedAt = 0;
  /** The bucket's `remaining` at the last grant (the host view for `RateLimit: r=`). */
  hostRemaining = 0;
  /** Until then every take is refused with `denied`, without IPC. */
  deniedUntil = 0;
  denied: TakeResult = DENIED_ONE_SECOND;
  /** The lease request in flight, if any; takes arriving meanwhile wait on it. */
  pending: Promise<void> | null = null;
  /** Takes waiting on `pending`. */
  waiting = 0;
  /** Until then decisions come from `fallback` (the primary did not answer). */
  fallbackUntil = 0;
  fallback: TokenBucket | null = null;

  constructor(limit: LimitParams, key: string, workers: number) {
    this.limit = limit;
    this.key = key;
    this.wholeBurst = Math.max(1, Math.floor(limit.burst));
    this.batch = leaseBatchSize(limit.ratePerSecond, limit.burst, workers, 1);
    // Tokens accruing while refused are kept only below burst: the bucket held fewer than
    // `batch` at the refusal, so waiting for at most burst - batch + 1 more loses none.
    const room = Math.max(1, this.wholeBurst - this.batch + 1);
    const accrue = workers * this.batch < room ? workers * this.batch : room;
    // Only a bucket with room for every worker's batch twice over keeps what accrues while the
    // workers back off; a smaller one would fill up and drop refills (each worker's refusal
    // window ends at its own time), so its refusals wait just for the next batch.
    this.backoffMs = 2 * workers * this.batch <= this.wholeBurst ? Math.ceil((accrue * 1000) / limit.ratePerSecond) : 0;
  }
}

/**
 * A worker's side of host-wide and global rate limits (DESIGN.md section 7). Takes spend tokens
 * leased from the primary; only an empty slot asks the primary, in one batch:
 *
 * - tokens held: `take` answers synchronously with a shared frozen result (no promise, no
 *   allocation);
 * - none held: one lease request per (limit, key) is in flight; takes arriving meanwhile wait on
 *   it, and a take that finds the new batch spent starts the next request (sized to the takes
 *   still waiting). The request asks for at least a normal batch (`atLeast`): a saturated
 *   bucket then answers "not yet" until a whole batch has accrued rather than one token now;
 * - granted 0: the denial is cached until the primary's `retryAfterMs`, or the time a batch per
 *   worker takes to accrue if longer (about 20 ms), so a flood of refused requests costs no IPC
 *   and a saturated key still leases whole batches;
 * - request failed (primary gone, IPC timeout): fail open to this worker's share. For
 *   `failureHoldMs` the worker decides alone with a local bucket of rate / workers and
 *   burst / workers: the host admits at most about its limit even then, and never stalls.
 *
 * Tokens held longer than `leaseTtlMs` go back to the primary, lazily on the next take and by
 * `sweep`. A worker that dies loses what it held (see the doc's accuracy section).
 */
export class LeaseClient {
  private readonly transport: LeaseTransport;
  private readonly clock: Clock;
  private readonly workers: number;
  private readonly leaseTtlMs: number;
  private readonly failureHoldMs: number;
  private readonly maxKeys: number;
  private readonly onTransportError: ((error: unknown) => void) | undefined;
  /** limitId -> key -> slot. Two lookups, so a take builds no composite key string. */
  private readonly slots = new Map<string, Map<string, LeaseSlot>>();
  private count = 0;
  private closed = false;

  constructor(transport: LeaseTransport, clock: Clock, options: LeaseClientOptions = {}) {
    this.transport = transport;
    this.clock = clock;
    this.workers = Math.max(1, Math.floor(options.workers ?? 1));
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.failureHoldMs = options.failureHoldMs ?? DEFAULT_FAILURE_HOLD_MS;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_CLIENT_MAX_KEYS);
    this.onTransportError = options.onTransportError;
  }

  /** (limit, key) slots held. */
  get size(): number {
    return this.count;
  }

  /**
   * Decides one request against `limit` for `key`. Synchronous when tokens are held or a denial
   * is cached; a promise only when the primary must be asked.
   */
  take(limit: LimitParams, key: string): TakeResult | Promise<TakeResult> {
    const now = this.clock();
    let slot = this.slots.get(limit.limitId)?.get(key);
    if (slot === undefined) slot = this.addSlot(limit, key);
    return this.takeFrom(slot, now);
  }

  private takeFrom(slot: LeaseSlot, now: number): TakeResult | Promise<TakeResult> {
    if (slot.tokens > 0) {
      if (now - slot.leasedAt < this.leaseTtlMs) {
        slot.tokens--;
        const remaining = slot.tokens + slot.hostRemaining;
        return admittedResult(remaining < slot.wholeBurst ? remaining : slot.wholeBurst);
      }
      this.handBack(slot);
    }
    if (now < slot.deniedUntil) return slot.denied;
    if (now < slot.fallbackUntil && slot.fallback !== null) {
      const fallback = slot.fallback;
      if (fallback.take(1, now) === 1) return admittedResult(fallback.remaining(now));
      return deniedResult(fallback.msUntilToken(now));
    }
    return this.lease(slot);
  }

  private lease(slot: LeaseSlot): Promise<TakeResult> {
    slot.waiting++;
    if (slot.pending === null) {
      const limit = slot.limit;
      const want = leaseBatchSize(limit.ratePerSecond, limit.burst, this.workers, slot.waiting);
      const atLeast = want < slot.batch ? want : slot.batch;
      let request: Promise<LeaseGrant>;
      try {
        request = this.transport.request({
          limitId: limit.limitId,
          ratePerSecond: limit.ratePerSecond,
          burst: limit.burst,
          scope: limit.scope,
          key: slot.key,
          want,
          atLeast,
        });
      } catch (error) {
        request = Promise.reject(error);
      }
      slot.pending = request.then(
        (grant) => this.settle(slot, grant),
        (error: unknown) => this.fail(slot, error),
      );
    }
    return slot.pending.then(() => {
      slot.waiting--;
      const result = this.takeFrom(slot, this.clock());
      // After close, the last waiter returns what the late lease left over.
      if (this.closed && slot.waiting === 0) this.handBack(slot);
      return result;
    });
  }

  private settle(slot: LeaseSlot, grant: LeaseGrant): void {
    slot.pending = null;
    const now = this.clock();
    slot.fallbackUntil = 0;
    if (grant.granted > 0) {
      slot.tokens += grant.granted;
      slot.leasedAt = now;
      slot.hostRemaining = grant.remaining;
      slot.deniedUntil = 0;
    } else {
      // Wait until every worker's batch could have accrued (about LEASE_SHARE_SECONDS), not
      // one token: at saturation each worker then asks about 50 times a second whatever the
      // rate and the worker count, and finds a whole batch. But never past the moment the
      // bucket is full again (a batch is due after `retryAfterMs`, and the bucket holds at most
      // burst - batch more): beyond it refills are lost, which under-admitted small bursts
      // (burst 1 at 10/s admitted 0.6 of the limit).
      const fullAgain = grant.retryAfterMs + ((slot.wholeBurst - slot.batch) * 1000) / slot.limit.ratePerSecond;
      const wait = Math.max(1, grant.retryAfterMs, Math.min(slot.backoffMs, Math.floor(fullAgain)));
      slot.deniedUntil = now + wait;
      slot.denied = deniedResult(wait);
    }
  }

  private fail(slot: LeaseSlot, error: unknown): void {
    slot.pending = null;
    const now = this.clock();
    slot.fallbackUntil = now + this.failureHoldMs;
    if (slot.fallback === null) {
      const limit = slot.limit;
      slot.fallback = new TokenBucket(limit.ratePerSecond / this.workers, Math.max(1, limit.burst / this.workers), now);
    }
    if (this.onTransportError !== undefined) this.onTransportError(error);
  }

  /** Returns a slot's unspent tokens to the primary (fire and forget). */
  private handBack(slot: LeaseSlot): void {
    const tokens = slot.tokens;
    slot.tokens = 0;
    if (tokens <= 0) return;
    try {
      this.transport.giveBack({ limitId: slot.limit.limitId, key: slot.key, scope: slot.limit.scope, tokens });
    } catch {
      // The primary is gone: the tokens are lost, exactly as when a worker dies holding them.
    }
  }

  /**
   * Hands back tokens older than `leaseTtlMs` and drops idle slots (no tokens, nothing in
   * flight, no denial or fallback in force). Call it periodically (e.g. every second);
   * returns how many slots went.
   */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [limitId, byKey] of this.slots) {
      for (const [key, slot] of byKey) {
        if (slot.tokens > 0 && now - slot.leasedAt >= this.leaseTtlMs) this.handBack(slot);
        if (slot.tokens === 0 && slot.pending === null && now >= slot.deniedUntil && now >= slot.fallbackUntil) {
          byKey.delete(key);
          removed++;
        }
      }
      if (byKey.size === 0) this.slots.delete(limitId);
    }
    this.count -= removed;
    return removed;
  }

  /**
   * Hands every held token back (a worker shutting down cleanly loses nothing) and forgets all
   * slots. Leases still in flight hand their tokens back when they arrive.
   */
  close(): void {
    this.closed = true;
    for (const byKey of this.slots.values()) {
      for (const slot of byKey.values()) this.handBack(slot);
    }
    this.slots.clear();
    this.count = 0;
  }

  private addSlot(limit: LimitParams, key: string): LeaseSlot {
    if (this.count >= this.maxKeys) this.makeRoom();
    const slot = new LeaseSlot(limit, key, this.workers);
    let byKey = this.slots.get(limit.limitId);
    if (byKey === undefined) {
      byKey = new Map();
      this.slots.set(limit.limitId, byKey);
    }
    byKey.set(key, slot);
    this.count++;
    return slot;
  }

  /** Frees at least a tenth of `maxKeys`: idle slots first, then the oldest not in flight. */
  private makeRoom(): void {
    this.sweep();
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [limitId, byKey] of this.slots) {
      for (const [key, slot] of byKey) {
        if (this.count <= target) return;
        if (slot.pending !== null) continue;
        this.handBack(slot);
        byKey.delete(key);
        this.count--;
      }
      if (byKey.size === 0) this.slots.delete(limitId);
    }
  }
}
