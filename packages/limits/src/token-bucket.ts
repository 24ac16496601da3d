/**
 * A token bucket (the GCRA family that nginx `limit_req` and Envoy's local rate limit use):
 * `ratePerSecond` tokens accrue continuously up to `burst`; a request spends one. Pure: every
 * method takes `now` (monotonic ms from the caller's `Clock`), and refill is lazy, computed from
 * the time since the last update, so an idle bucket costs nothing.
 *
 * Tokens are kept fractional (a bucket at 0.4 tokens has refilled 40% of one); only whole
 * tokens are ever granted.
 */
export class TokenBucket {
  /** Tokens added per second, > 0. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds, >= 1. A new bucket starts full. */
  readonly burst: number;
  private readonly perMs: number;
  private tokens: number;
  private updatedAt: number;

  /**
   * @param now the caller's clock reading at creation.
   * @param tokens the initial fill, default `burst` (a new bucket is indistinguishable from one
   *   that has been idle long enough to refill).
   */
  constructor(ratePerSecond: number, burst: number, now: number, tokens: number = burst) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.perMs = ratePerSecond / 1000;
    this.tokens = Math.min(burst, Math.max(0, tokens));
    this.updatedAt = now;
  }

  /** Brings the fill up to `now`. A clock reading older than the last one refills nothing. */
  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      const tokens = this.tokens + elapsed * this.perMs;
      this.tokens = tokens < this.burst ? tokens : this.burst;
      this.updatedAt = now;
    }
  }

  /** Takes up to `want` whole tokens; returns how many were taken (0..want). */
  take(want: number, now: number): number {
    this.refill(now);
    const whole = Math.floor(this.tokens);
    const granted = want < whole ? want : whole;
    if (granted > 0) this.tokens -= granted;
    return granted;
  }

  /** Adds `tokens` back (unused leased tokens), capped at `burst`. */
  give(tokens: number, now: number): void {
    this.refill(now);
    const sum = this.tokens + tokens;
    this.tokens = sum < this.burst ? sum : this.burst;
  }

  /** Whole tokens available at `now`. */
  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /**
   * Ms until at least `count` whole tokens (default 1, at most burst) are available: 0 when
   * they are, else >= 1 (rounded up).
   */
  msUntilToken(now: number, count = 1): number {
    this.refill(now);
    const need = count < this.burst ? count : this.burst;
    if (this.tokens >= need) return 0;
    return Math.max(1, Math.ceil((need - this.tokens) / this.perMs));
  }

  /** True once the bucket has refilled to `burst`: it is then indistinguishable from a new one. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}
