/** Milliseconds from an arbitrary origin, never going backwards (`performance.now()` by default). */
export interface MonotonicClock {
  now(): number;
}

/** Options of {@link AuthRateLimiter}. */
export interface AuthRateLimiterOptions {
  /** Failed authentications an address may make in a burst. Default `10`. */
  readonly burst?: number;
  /** Time over which a whole burst refills (so `burst` failures per `windowMs`). Default `60000`. */
  readonly windowMs?: number;
  /** Addresses tracked at most; past it, refilled entries and then the oldest are dropped. Default `10000`. */
  readonly maxClients?: number;
  /** Default: `performance.now()`. */
  readonly clock?: MonotonicClock;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const defaultClock: MonotonicClock = { now: () => performance.now() };

/**
 * Throttles failed authentication per client address, with a token bucket: each failure takes a
 * token, tokens refill at `burst / windowMs`, and an address with no token left is refused with
 * 429 and `Retry-After` until one refills (10 failures a minute by default).
 *
 * While an address is refused, *every* authenticated call from it is refused, a valid token
 * included: answering valid tokens would keep the endpoint an oracle for guessing. Successes do
 * not refill the bucket, so one stolen read token cannot reset it either.
 *
 * Memory is bounded by `maxClients`: the table is swept of full (idle) buckets when it fills,
 * and the oldest entry goes if that is not enough, so a flood of spoofed addresses on a public
 * listener costs at most that many small objects.
 */
export class AuthRateLimiter {
  private readonly burst: number;
  private readonly ratePerMs: number;
  private readonly maxClients: number;
  private readonly clock: MonotonicClock;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: AuthRateLimiterOptions = {}) {
    this.burst = options.burst ?? 10;
    this.ratePerMs = this.burst / (options.windowMs ?? 60_000);
    this.maxClients = options.maxClients ?? 10_000;
    this.clock = options.clock ?? defaultClock;
  }

  /** Addresses currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** 0 when `address` may try to authenticate; otherwise whole seconds until it may (for `Retry-After`). */
  retryAfterSeconds(address: string): number {
    const bucket = this.buckets.get(address);
    if (bucket === undefined) return 0;
    this.refill(bucket);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000));
  }

  /** Count one failed authentication from `address`. */
  fail(address: string): void {
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxClients) this.evict();
      bucket = { tokens: this.burst, updatedAt: this.clock.now() };
      this.buckets.set(address, bucket);
    } else {
      this.refill(bucket);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refill(bucket: Bucket): void {
    const now = this.clock.now();
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedAt) * this.ratePerMs);
    bucket.updatedAt = now;
  }

  /** Drop every refilled bucket (it holds no state a new one would not); else the oldest. */
  private evict(): void {
    for (const [address, bucket] of this.buckets) {
      this.refill(bucket);
      if (bucket.tokens >= this.burst) this.buckets.delete(address);
    }
    if (this.buckets.size < this.maxClients) return;
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
