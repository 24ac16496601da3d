import type { GlobalFailureMode, GlobalTokenSource, LeaseServerListener } from './global-token-source';
import type { LeaseBank } from './lease-bank';
import { globalBatchSize } from './lease-sizing';
import type { Clock, LeaseGrant, LeaseRequest, LeaseReturn } from './lease-types';

/** Settings of a `GlobalLeasePool`. */
export interface GlobalLeasePoolOptions {
  /** The shared bucket store; `null` (no `globalLimits` configured) applies `onFailure` always. */
  readonly source: GlobalTokenSource | null;
  /** Answers leases in the `open` failure mode (the host's own bucket of the same limit). */
  readonly fallback: LeaseBank;
  /** Default `open`. */
  readonly onFailure?: GlobalFailureMode;
  /**
   * Tokens taken from the source and not leased within this time go back to it, so an idle
   * host does not sit on the global rate. Default 1000 ms.
   */
  readonly leaseTtlMs?: number;
  /** After a source failure, the failure mode answers for this long without asking. Default 1000 ms. */
  readonly failureHoldMs?: number;
  /** Most keys pooled; idle entries are dropped first, then the oldest. Default 100000. */
  readonly maxKeys?: number;
  readonly listener?: LeaseServerListener;
}

/** Most fetch rounds one lease waits through before it is told to ask again in 1 ms. */
const MAX_ROUNDS = 16;

/** One global (limit, key) in this primary. */
class PoolEntry {
  readonly limitId: string;
  readonly key: string;
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Tokens taken from the source, not yet leased to a worker. */
  tokens = 0;
  takenAt = 0;
  /** The source's `remaining` at the last take. */
  remaining = 0;
  deniedUntil = 0;
  pending: Promise<void> | null = null;
  /** Tokens wanted by the leases waiting on `pending`; sizes the next take. */
  waitingWant = 0;

  constructor(req: LeaseRequest) {
    this.limitId = req.limitId;
    this.key = req.key;
    this.ratePerSecond = req.ratePerSecond;
    this.burst = req.burst;
  }
}

/**
 * The primary's batching in front of a `GlobalTokenSource` (Redis): it takes
 * `globalBatchSize` tokens at once and sub-leases them to its workers, so the source is called
 * about 20 times a second per busy key, not once per worker lease. One take per key is in
 * flight; leases arriving meanwhile wait for it. A refusal is cached until the source's
 * `retryAfterMs`. A failure switches the whole pool to the failure mode for `failureHoldMs`
 * (Redis being down is not a per-key fact, and asking again per lease would put a timeout on
 * every lease of a black-holed Redis).
 */
export class GlobalLeasePool {
  private readonly clock: Clock;
  private source: GlobalTokenSource | null;
  private readonly fallback: LeaseBank;
  private mode: GlobalFailureMode;
  private readonly leaseTtlMs: number;
  private readonly failureHoldMs: number;
  private readonly maxKeys: number;
  private readonly listener: LeaseServerListener;
  private readonly entries = new Map<string, PoolEntry>();
  private failedUntil = 0;

  constructor(clock: Clock, options: GlobalLeasePoolOptions) {
    this.clock = clock;
    this.source = options.source;
    this.fallback = options.fallback;
    this.mode = options.onFailure ?? 'open';
    this.leaseTtlMs = options.leaseTtlMs ?? 1000;
    this.failureHoldMs = options.failureHoldMs ?? 1000;
    this.maxKeys = Math.max(1, options.maxKeys ?? 100_000);
    this.listener = options.listener ?? {};
  }

  /**
   * Replaces the global source and the failure mode (a committed config changed
   * `globalLimits`). Tokens pooled from the old source are dropped with it: the new store
   * starts its own buckets, and leases in flight finish against the source they asked.
   */
  setSource(source: GlobalTokenSource | null, mode: GlobalFailureMode): void {
    this.mode = mode;
    if (source === this.source) return;
    this.source = source;
    this.failedUntil = 0;
    this.entries.clear();
  }

  /** Keys pooled. */
  get size(): number {
    return this.entries.size;
  }

  /** True while the failure mode answers (the source failed less than `failureHoldMs` ago). */
  failing(): boolean {
    return this.source === null || this.clock() < this.failedUntil;
  }

  /** Answers a worker's lease of a global limit. Never rejects. */
  async grant(req: LeaseRequest): Promise<LeaseGrant> {
    const id = entryId(req.limitId, req.key);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock();
      if (this.source === null || now < this.failedUntil) return this.failureGrant(req);
      let entry = this.entries.get(id);
      if (entry === undefined) {
        if (this.entries.size >= this.maxKeys) this.makeRoom(now);
        entry = new PoolEntry(req);
        this.entries.set(id, entry);
      }
      if (entry.tokens > 0 && now - entry.takenAt >= this.leaseTtlMs) this.returnPooled(entry);
      if (entry.tokens > 0) {
        const granted = req.want < entry.tokens ? req.want : entry.tokens;
        entry.tokens -= granted;
        return { granted, retryAfterMs: 0, remaining: entry.remaining + entry.tokens };
      }
      if (now < entry.deniedUntil) return { granted: 0, retryAfterMs: Math.ceil(entry.deniedUntil - now), remaining: 0 };
      if (entry.pending === null) entry.pending = this.take(this.source, entry, req);
      entry.waitingWant += req.want;
      await entry.pending;
      entry.waitingWant -= req.want;
    }
    return { granted: 0, retryAfterMs: 1, remaining: 0 };
  }

  private take(source: GlobalTokenSource, entry: PoolEntry, req: LeaseRequest): Promise<void> {
    const burst = Math.max(1, Math.floor(req.burst));
    const batch = globalBatchSize(req.ratePerSecond, req.burst);
    const wanted = entry.waitingWant + req.want;
    const want = Math.min(burst, wanted > batch ? wanted : batch);
    let call: Promise<LeaseGrant>;
    try {
      // At least one batch: a saturated shared bucket is then asked about once per batch.
      call = source.take(req.limitId, req.key, want, req.ratePerSecond, req.burst, batch < want ? batch : want);
    } catch (error) {
      call = Promise.reject(error);
    }
    return call.then(
      (grant) => {
        entry.pending = null;
        const now = this.clock();
        if (grant.granted > 0) {
          entry.tokens += grant.granted;
          entry.takenAt = now;
          entry.remaining = grant.remaining;
          entry.deniedUntil = 0;
        } else {
          // Back off until a whole batch has accrued (not one token), so a saturated key costs
          // about 1 / GLOBAL_BATCH_SECONDS source calls a second per host, not one per token.
          entry.deniedUntil = now + Math.max(1, grant.retryAfterMs, Math.ceil((batch * 1000) / req.ratePerSecond));
        }
        this.listener.onGlobalTake?.(want, grant.granted);
      },
      (error: unknown) => {
        entry.pending = null;
        this.failedUntil = this.clock() + this.failureHoldMs;
        this.listener.onGlobalError?.(error);
      },
    );
  }

  private failureGrant(req: LeaseRequest): LeaseGrant {
    this.listener.onGlobalFallback?.(this.mode);
    if (this.mode === 'open') return this.fallback.grant(req);
    return { granted: 0, retryAfterMs: 1000, remaining: 0 };
  }

  /**
   * Unspent tokens a worker hands back: to the source while it works (the pool entry knows the
   * limit's rate and burst; an entry already swept drops them, an under-admission of at most
   * one worker batch), else to the host bucket that leased them in the `open` failure mode.
   */
  giveBack(ret: LeaseReturn): void {
    if (!(ret.tokens > 0)) return;
    if (this.source === null || this.clock() < this.failedUntil) {
      this.fallback.giveBack(ret);
      return;
    }
    const entry = this.entries.get(entryId(ret.limitId, ret.key));
    if (entry !== undefined) this.source.giveBack?.(entry.limitId, entry.key, Math.floor(ret.tokens), entry.ratePerSecond, entry.burst);
  }

  private returnPooled(entry: PoolEntry): void {
    const tokens = entry.tokens;
    entry.tokens = 0;
    this.source?.giveBack?.(entry.limitId, entry.key, tokens, entry.ratePerSecond, entry.burst);
  }

  /**
   * Hands pooled tokens older than `leaseTtlMs` back to the source and drops entries with
   * nothing pooled, nothing in flight and no refusal in force. Returns how many went.
   */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (entry.pending !== null || now < entry.deniedUntil) continue;
      if (entry.tokens > 0) {
        if (now - entry.takenAt < this.leaseTtlMs) continue;
        this.returnPooled(entry);
      }
      this.entries.delete(id);
      removed++;
    }
    return removed;
  }

  private makeRoom(now: number): void {
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [id, entry] of this.entries) {
      if (entry.pending === null && entry.tokens === 0 && now >= entry.deniedUntil) this.entries.delete(id);
    }
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= target) break;
      if (entry.pending === null) this.entries.delete(id);
    }
  }
}

function entryId(limitId: string, key: string): string {
  return `${limitId}\u0000${key}`;
}
