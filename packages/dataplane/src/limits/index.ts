export { ConcurrencyGate, ConcurrencyGates } from './concurrency-gate';
export { RateLimiter, rateLimitHeaders } from './rate-limiter';
export type { RateDenial, TokenTaker } from './rate-limiter';
export { rateKey } from './rate-key';
export type { KeySource } from './rate-key';
export { RouteLimits, buildRouteLimits } from './route-limits';
export { BodyLimit, bodyTooLarge } from './body-limit';
