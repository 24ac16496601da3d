import type { Clock, LeaseGrant, LeaseRequest, LeaseReturn } from './lease-types';
import { TokenBucket } from './token-bucket';

/** Settings of a `LeaseBank`. */
export interface LeaseBankOptions {
  /**
   * Most buckets held at once. Default 100000 (about 20 MB with 40-byte keys). Reaching it
   * first drops every full bucket; if that frees less than a tenth, the least recently granted
   * buckets go until 90% remain. A dropped bucket that was not full comes back full on its next
   * use (that key may briefly over-admit by what it had spent); `evictions` counts them.
   */
  readonly maxKeys?: number;
}

/** Default `LeaseBankOptions.maxKeys`. */
export const DEFAULT_BANK_MAX_KEYS = 100_000;

/**
 * The primary's buckets of host limits, keyed by (limitId, key). A bucket is created full on
 * first use; `grant` takes a worker's batch from it and `giveBack` returns unspent tokens
 * (capped at burst). Memory is bounded: `sweep` (called by the owner, e.g. every 10 s) drops
 * buckets that have refilled to full, which are indistinguishable from new ones, and `maxKeys`
 * caps the rest. Pure apart from the injected clock; the primary's IPC handler calls it.
 *
 * Map order is least recently granted first: a grant moves its bucket to the end (one delete and
 * one set per lease, not per request).
 */
export class LeaseBank {
  private readonly clock: Clock;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, TokenBucket>();
  /** Buckets dropped by the `maxKeys` cap while not full (for a metric). */
  evictions = 0;

  constructor(clock: Clock, options: LeaseBankOptions = {}) {
    this.clock = clock;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_BANK_MAX_KEYS);
  }

  /** Buckets held. */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes up to `req.want` tokens (at least 1, at most burst) from the bucket of
   * (`req.limitId`, `req.key`), or none when fewer than `req.atLeast` are there. Granted 0
   * carries the ms until the bucket holds `atLeast` tokens.
   */
  grant(req: LeaseRequest): LeaseGrant {
    const now = this.clock();
    const id = bucketId(req.limitId, req.key);
    let bucket = this.buckets.get(id);
    if (bucket === undefined || bucket.ratePerSecond !== req.ratePerSecond || bucket.burst !== req.burst) {
      // A limit's id hashes its rate and burst, so a change of either arrives as a new id; a
      // mismatch here is a stale message racing a reload and simply starts a fresh bucket.
      if (bucket === undefined && this.buckets.size >= this.maxKeys) this.makeRoom(now);
      bucket = new TokenBucket(req.ratePerSecond, req.burst, now);
    } else {
      this.buckets.delete(id);
    }
    this.buckets.set(id, bucket);
    const want = Math.max(1, Math.min(Math.floor(req.want), Math.floor(req.burst)));
    const atLeast = req.atLeast === undefined ? 1 : Math.max(1, Math.min(Math.floor(req.atLeast), want));
    const granted = bucket.remaining(now) >= atLeast ? bucket.take(want, now) : 0;
    if (granted === 0) return { granted: 0, retryAfterMs: bucket.msUntilToken(now, atLeast), remaining: 0 };
    return { granted, retryAfterMs: 0, remaining: bucket.remaining(now) };
  }

  /**
   * Returns unspent tokens to their bucket, capped at burst. A bucket that is gone (swept full,
   * or evicted) is full by definition, so the tokens are dropped.
   */
  giveBack(ret: LeaseReturn): void {
    if (!(ret.tokens > 0)) return;
    const bucket = this.buckets.get(bucketId(ret.limitId, ret.key));
    if (bucket !== undefined) bucket.give(Math.floor(ret.tokens), this.clock());
  }

  /** Drops every bucket that has refilled to full; returns how many went. */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [id, bucket] of this.buckets) {
      if (bucket.isFull(now)) {
        this.buckets.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Frees at least a tenth of `maxKeys`: full buckets first, then least recently granted. */
  private makeRoom(now: number): void {
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [id, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(id);
    }
    for (const id of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(id);
      this.evictions++;
    }
  }
}

/**
 * One map key for (limitId, key). A limit id is hex (the spec's hash), so the first NUL is the
 * boundary even when the key itself holds one (a JWT claim may).
 */
function bucketId(limitId: string, key: string): string {
  return `${limitId}\u0000${key}`;
}
