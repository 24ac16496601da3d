import type { RouteLimitsSpec } from '@weir/runtime';
import type { ConcurrencyGate, ConcurrencyGates } from './concurrency-gate';
import { RateLimiter, type TokenTaker } from './rate-limiter';

/** A route's limits as the exchange checks them; null on routes without any (they pay nothing). */
export class RouteLimits {
  readonly rate: RateLimiter | null;
  readonly concurrency: ConcurrencyGate | null;
  /** 0 = unlimited. */
  readonly maxBodyBytes: number;

  constructor(rate: RateLimiter | null, concurrency: ConcurrencyGate | null, maxBodyBytes: number) {
    this.rate = rate;
    this.concurrency = concurrency;
    this.maxBodyBytes = maxBodyBytes;
  }
}

/** Builds a route's limits at assemble time; null when it has none. */
export function buildRouteLimits(route: string, spec: RouteLimitsSpec, taker: TokenTaker, gates: ConcurrencyGates): RouteLimits | null {
  if (spec.rate.length === 0 && spec.maxConcurrent === 0 && spec.maxBodyBytes === 0) return null;
  return new RouteLimits(
    spec.rate.length === 0 ? null : new RateLimiter(spec.rate, taker),
    spec.maxConcurrent === 0 ? null : gates.gate(route, spec.maxConcurrent),
    spec.maxBodyBytes,
  );
}
