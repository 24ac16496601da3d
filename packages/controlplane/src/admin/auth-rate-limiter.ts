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
  /**
   * Failed authentications from all addresses together in a burst, refilling over `windowMs`
   * too: bounds the `admin auth failed` log when failures come from many addresses. Default `100`.
   */
  readonly globalBurst?: number;
  /** Default: `performance.now()`. */
  readonly clock?: MonotonicClock;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const defaultClock: MonotonicClock = { now: () => performance.now() };

/**
 * Throttles failed authentication, with token buckets: one per client address and one for all
 * addresses together. Each failure takes a token from both, tokens refill at `burst / windowMs`
 * (and `globalBurst / windowMs`), and a failure that finds either bucket empty is refused with
 * 429 and `Retry-After` until it refills (10 failures a minute per address, 100 in all, by
 * default). A refused failure is not counted, so `Retry-After` is exact and the log keeps
 * showing a persistent guesser at the refill rate.
 *
 * Only failures are throttled. The admin server verifies every presented token first, in
 * constant time, and serves a valid one whatever the throttle says (issue 15: one local
 * process sending a bad token every 6 s kept operators and Prometheus, on the same loopback
 * address, out). That makes a 429 no oracle: it is answered only to an invalid token, so it
 * says exactly what a 401 says. The throttle therefore does not slow guessing (a correct guess
 * is served, throttled or not); 256-bit tokens do: at a million guesses a second, finding one
 * takes about 10^63 years. What the throttle bounds is the failure log (which would otherwise
 * grow by a line per unauthenticated request), and it tells a misconfigured client to back off.
 *
 * Memory is bounded by `maxClients`: the table is swept of full (idle) buckets when it fills,
 * and the oldest entry goes if that is not enough, so a flood of spoofed addresses on a public
 * listener costs at most that many small objects (and the global bucket still holds).
 */
export class AuthRateLimiter {
  private readonly burst: number;
  private readonly ratePerMs: number;
  private readonly maxClients: number;
  private readonly clock: MonotonicClock;
  private readonly buckets = new Map<string, Bucket>();
  private readonly global: Bucket;
  private readonly globalBurst: number;
  private readonly globalRatePerMs: number;

  constructor(options: AuthRateLimiterOptions = {}) {
    const windowMs = options.windowMs ?? 60_000;
    this.burst = options.burst ?? 10;
    this.ratePerMs = this.burst / windowMs;
    this.globalBurst = options.globalBurst ?? 100;
    this.globalRatePerMs = this.globalBurst / windowMs;
    this.maxClients = options.maxClients ?? 10_000;
    this.clock = options.clock ?? defaultClock;
    this.global = { tokens: this.globalBurst, updatedAt: this.clock.now() };
  }

  /** Addresses tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * 0 when a failed authentication from `address` is within both budgets (count it with
   * `fail`); otherwise whole seconds until it will be (for `Retry-After`).
   */
  retryAfterSeconds(address: string): number {
    const bucket = this.buckets.get(address);
    let wait = this.wait(this.global, this.globalBurst, this.globalRatePerMs);
    if (bucket !== undefined) wait = Math.max(wait, this.wait(bucket, this.burst, this.ratePerMs));
    return wait;
  }

  /** Count one failed authentication from `address`, against its bucket and the global one. */
  fail(address: string): void {
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxClients) this.evict();
      bucket = { tokens: this.burst, updatedAt: this.clock.now() };
      this.buckets.set(address, bucket);
    } else {
      this.refill(bucket, this.burst, this.ratePerMs);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    this.refill(this.global, this.globalBurst, this.globalRatePerMs);
    this.global.tokens = Math.max(0, this.global.tokens - 1);
  }

  /** Whole seconds until `bucket` holds a token, 0 when it does. */
  private wait(bucket: Bucket, burst: number, ratePerMs: number): number {
    this.refill(bucket, burst, ratePerMs);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }

  private refill(bucket: Bucket, burst: number, ratePerMs: number): void {
    const now = this.clock.now();
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
  }

  /** Drop every refilled bucket (it holds no state a new one would not); else the oldest. */
  private evict(): void {
    for (const [address, bucket] of this.buckets) {
      this.refill(bucket, this.burst, this.ratePerMs);
      if (bucket.tokens >= this.burst) this.buckets.delete(address);
    }
    if (this.buckets.size < this.maxClients) return;
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
