/**
 * Breaker module: an upstream's concurrency limits and its failure-ratio circuit breaker, pure
 * state machines over an injected clock (STYLE.md rules 9 and 10), and the `Clock` they share
 * with the outlier and retry modules.
 */
export { monotonicClock } from './clock';
export type { Clock } from './clock';
export {
  ConcurrencyLimits,
  ConcurrencyCounters,
  LIMIT_OK,
  LIMIT_REQUESTS,
  LIMIT_PENDING,
  LIMIT_CONNECTIONS,
  LIMIT_RETRIES,
  LIMIT_RETRY_BUDGET,
} from './concurrency-limits';
export type { ConcurrencyLimitsOptions, ConnectionProbe, RetryAllowance, LimitResult } from './concurrency-limits';
export {
  FailureRatioBreaker,
  BREAKER_CLOSED,
  BREAKER_HALF_OPEN,
  BREAKER_OPEN,
  ADMIT_DENIED,
  ADMIT_NORMAL,
  ADMIT_PROBE,
} from './failure-ratio-breaker';
export type { FailureRatioOptions, BreakerState, Admission, BreakerObserver } from './failure-ratio-breaker';
