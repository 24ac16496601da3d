import type { LimitParams, TakeResult } from '@weir/limits';
import type { RateLimitSpec } from '@weir/runtime';
import { rateKey, type KeySource } from './rate-key';

/** Where a worker takes rate-limit tokens: `@weir/limits`'s LeaseClient satisfies it. */
export interface TokenTaker {
  take(limit: LimitParams, key: string): TakeResult | Promise<TakeResult>;
}

/** A request a limit refused: which limit, and when to come back. */
export interface RateDenial {
  readonly limit: RateLimitSpec;
  readonly retryAfterSeconds: number;
}

/**
 * A route's rate limits: a request must get a token from each, in config order (a request
 * refused by the second limit has spent its token of the first, as in Envoy's descriptors).
 * `check` stays synchronous while every take is (the worker holds leased tokens); it returns a
 * promise only when a lease must be fetched from the primary.
 */
export class RateLimiter {
  private readonly specs: readonly RateLimitSpec[];
  private readonly params: readonly LimitParams[];
  private readonly taker: TokenTaker;

  constructor(specs: readonly RateLimitSpec[], taker: TokenTaker) {
    this.specs = specs;
    this.params = specs.map((s) => Object.freeze({ limitId: s.id, ratePerSecond: s.ratePerSecond, burst: s.burst, scope: s.scope }));
    this.taker = taker;
  }

  /** null: admitted by every limit. */
  check(source: KeySource): RateDenial | null | Promise<RateDenial | null> {
    const specs = this.specs;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as RateLimitSpec;
      const result = this.taker.take(this.params[i] as LimitParams, rateKey(spec.key, source));
      if (result instanceof Promise) return this.checkAsync(result, i, source);
      if (!result.admitted) return { limit: spec, retryAfterSeconds: result.retryAfterSeconds };
    }
    return null;
  }

  private async checkAsync(pending: Promise<TakeResult>, from: number, source: KeySource): Promise<RateDenial | null> {
    const specs = this.specs;
    let result = await pending;
    for (let i = from; ; ) {
      const spec = specs[i] as RateLimitSpec;
      if (!result.admitted) return { limit: spec, retryAfterSeconds: result.retryAfterSeconds };
      if (++i === specs.length) return null;
      result = await this.taker.take(this.params[i] as LimitParams, rateKey((specs[i] as RateLimitSpec).key, source));
    }
  }
}

/**
 * The headers of a 429 (draft-ietf-httpapi-ratelimit-headers, structured-field form):
 * `Retry-After`, `RateLimit-Policy: "<name>";q=<quota>;w=<window>` and
 * `RateLimit: "<name>";r=0;t=<seconds>`.
 */
export function rateLimitHeaders(denial: RateDenial): string[] {
  const l = denial.limit;
  const t = String(denial.retryAfterSeconds);
  return ['retry-after', t, 'ratelimit-policy', `"${l.name}";q=${l.quota};w=${l.windowSeconds}`, 'ratelimit', `"${l.name}";r=0;t=${t}`];
}
