/**
 * Retry module: the retry safety rule, backoff, Retry-After and the retry budget, all pure
 * decisions (STYLE.md rules 10 and 11). The proxy acts on them.
 */
export { RetryPolicy } from './retry-policy';
export type { RetryPolicyOptions } from './retry-policy';
export {
  retryDecision,
  BODY_NONE,
  BODY_BUFFERED,
  BODY_STREAM_UNREAD,
  BODY_STREAM_READ,
  NO_RETRY,
  RETRY_CONNECT_FAILURE,
  RETRY_RESET,
  RETRY_5XX,
  RETRY_GATEWAY_ERROR,
  RETRY_RETRIABLE_STATUS,
  RETRY_REASONS,
} from './retry-decision';
export type { BodyState, RetryReason } from './retry-decision';
export { FAILURE_OTHER, FAILURE_CONNECT, FAILURE_RESET, FAILURE_TIMEOUT, FAILURE_STATUS, failureOfCode } from './failure';
export type { Failure } from './failure';
export { isIdempotent } from './idempotent';
export { backoffDelay, retryDelay } from './backoff';
export { parseRetryAfter } from './retry-after';
export { RetryBudget } from './retry-budget';
export type { RetryBudgetOptions } from './retry-budget';
