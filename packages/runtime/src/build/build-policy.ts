import { createHash } from 'node:crypto';
import type { ClientAddressConfig, PathsConfig, RateLimitConfig, RateLimitKeyConfig, RouteConfig } from '@weir/config';
import { canonicalJSON, configDefaults } from '../spec/index';
import type { ClientAddressSpec, PathsSpec, RateLimitKeySpec, RateLimitSpec, RouteLimitsSpec } from '../spec/index';
import { canonicalCidr } from './canonical-cidr';

const d = configDefaults;

/** Seconds in each `per` of a rate limit: the `w=` of `RateLimit-Policy`. */
const WINDOW_SECONDS: Readonly<Record<'second' | 'minute' | 'hour', number>> = { hour: 3600, minute: 60, second: 1 };

/**
 * The edge-policy parts of `buildSpec` (issue 9) that are not plugins: the client address
 * policy, the request path policy and route limits. Objects list their keys sorted, like the
 * rest of the build (see spec/canonical-json.ts). `globalLimits` is not here: it is primary-only
 * and enters the spec only through `controlDigest`.
 */
export function buildClientAddress(config: ClientAddressConfig | undefined): ClientAddressSpec {
  return {
    header: config?.header ?? d.clientAddress.header,
    trustedProxies: uniqueCidrs(config?.trustedProxies),
  };
}

export function buildPaths(config: PathsConfig | undefined): PathsSpec {
  return {
    escapedSlashes: config?.escapedSlashes ?? d.paths.escapedSlashes,
    mergeSlashes: config?.mergeSlashes ?? d.paths.mergeSlashes,
  };
}

/** A route's limits; `0` stands for "unlimited" in `maxConcurrent` and `maxBodyBytes`. */
export function buildRouteLimits(route: RouteConfig): RouteLimitsSpec {
  const limits = route.limits;
  const rate = limits?.rate ?? [];
  const out: RateLimitSpec[] = [];
  for (let i = 0; i < rate.length; i++) out.push(buildRateLimit(route.name, rate[i] as RateLimitConfig, i));
  return {
    maxBodyBytes: limits?.maxBodyBytes ?? 0,
    maxConcurrent: limits?.maxConcurrent ?? 0,
    rate: out,
  };
}

function buildRateLimit(routeName: string, limit: RateLimitConfig, index: number): RateLimitSpec {
  const r = d.rateLimit;
  const name = limit.name ?? `${routeName}-${index}`;
  const per = limit.per ?? r.per;
  const windowSeconds = WINDOW_SECONDS[per];
  const burst = limit.burst ?? Math.ceil(limit.rate);
  const scope = limit.scope ?? r.scope;
  return {
    burst,
    id: rateLimitId(routeName, name, limit.rate, per, burst, scope),
    key: buildKey(limit.key ?? r.key),
    name,
    quota: limit.rate,
    ratePerSecond: limit.rate / windowSeconds,
    scope,
    windowSeconds,
  };
}

function buildKey(key: RateLimitKeyConfig): RateLimitKeySpec {
  switch (key.kind) {
    case 'header':
      return { kind: 'header', name: key.name.toLowerCase() };
    case 'claim':
      return { kind: 'claim', name: key.name };
    case 'route':
      return { kind: 'route' };
    default:
      return { kind: 'clientAddress' };
  }
}

/**
 * A rate limit's bucket identity, the same on every worker and every host: the first 16 hex
 * digits of sha256 over the canonical JSON of `[route, name, rate, per, burst, scope]`. The key
 * is left out on purpose: it says what one bucket of the limit counts, not which limit it is.
 * Anything that changes the meaning of a token (rate, window, burst, scope) gives new buckets,
 * so a reload never carries tokens across an incompatible change; a reload that keeps them
 * keeps the buckets (the host lease and Redis keys are named by it).
 */
export function rateLimitId(route: string, name: string, rate: number, per: string, burst: number, scope: string): string {
  return createHash('sha256')
    .update(canonicalJSON([route, name, rate, per, burst, scope]))
    .digest('hex')
    .slice(0, 16);
}

/** Canonical CIDRs, each once, in first-seen order. */
export function uniqueCidrs(cidrs: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (cidrs === undefined) return out;
  for (let i = 0; i < cidrs.length; i++) {
    const cidr = canonicalCidr(cidrs[i] as string);
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}
