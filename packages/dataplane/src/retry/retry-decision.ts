import { FAILURE_CONNECT, FAILURE_RESET, FAILURE_STATUS, FAILURE_TIMEOUT, type Failure } from './failure';
import type { RetryPolicy } from './retry-policy';

/** Where a request's body stands, for replay. */
export type BodyState = 0 | 1 | 2 | 3;
/** No body: any attempt can be sent again as it was. */
export const BODY_NONE: BodyState = 0;
/** The whole body is kept in memory (it was at most `maxReplayBodyBytes`): replayable. */
export const BODY_BUFFERED: BodyState = 1;
/** The body streams from the client and no byte of it was read yet. */
export const BODY_STREAM_UNREAD: BodyState = 2;
/** The body streams from the client and some of it was consumed: it cannot be sent again. */
export const BODY_STREAM_READ: BodyState = 3;

/**
 * Why a retry is made, `0` when it is not. Also the index of its `reason` label in
 * `RETRY_REASONS` (`weir_upstream_retries_total`).
 */
export type RetryReason = 0 | 1 | 2 | 3 | 4 | 5;
export const NO_RETRY: RetryReason = 0;
export const RETRY_CONNECT_FAILURE: RetryReason = 1;
export const RETRY_RESET: RetryReason = 2;
export const RETRY_5XX: RetryReason = 3;
export const RETRY_GATEWAY_ERROR: RetryReason = 4;
export const RETRY_RETRIABLE_STATUS: RetryReason = 5;

/** Label values of the retry reasons, indexed by `RetryReason` (the config's `retryOn` names). */
export const RETRY_REASONS: readonly string[] = Object.freeze(['', 'connect-failure', 'reset', '5xx', 'gateway-error', 'retriable-status']);

/**
 * Decides whether a failed attempt may be retried, and why. THE retry safety rule of Weir lives
 * here and nowhere else (STYLE.md rule 11; after pingora's failover guide and `RetryType`, and
 * Caddy's `tryAgain`):
 *
 * 1. Never more than `policy.retries` retries.
 * 2. The failure must be one the route asked to retry (`retryOn`):
 *    - `connect-failure`: the connection could not be opened (refused, unreachable, timed out);
 *    - `reset`: the connection was reset or closed before a response arrived;
 *    - `5xx` / `gateway-error`: a 5xx response / a 502, 503 or 504, and also the expiry of the
 *      per-try timeout (`perTryTimeoutMs`), which is Weir's own 504; a request timeout without
 *      a per-try timeout is the route's final word and is not retried;
 *    - `retriable-status`: a response status listed in `retriableStatuses`.
 * 3. A connect failure may be retried for EVERY method: no byte reached the upstream, so sending
 *    the request elsewhere cannot make it happen twice. Its body must still be available, which
 *    it is when buffered or when the stream was never read (undici reads it only once connected).
 * 4. Any other failure happened after the request was (maybe partly) sent, so the upstream may
 *    have acted on it. It is retried only when repeating is harmless: the method is idempotent
 *    (RFC 9110 section 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE), or the route says its
 *    upstream deduplicates (`retryNonIdempotent`). A reset on a reused keep-alive connection (the
 *    upstream closed it just as the request went out, the classic keep-alive race) falls here:
 *    retryable for idempotent requests. undici does not tell a reused connection from a fresh
 *    one, so Weir cannot do what pingora's `ReusedOnly` does for non-idempotent requests, and
 *    takes the safe side: a reset POST is not retried.
 * 5. After sending, the body must be replayable: none, or kept whole in memory because it was at
 *    most `maxReplayBodyBytes`. A streamed body is gone once read.
 *
 * Resource limits (the retry budget, `maxRetries`, an open breaker, the route's total timeout)
 * are not safety and are checked by the caller after this says yes.
 *
 * @param retried retries already made for this request (0 after the first attempt)
 * @param failure how the attempt failed (`failureOfCode`, or FAILURE_STATUS with `status`)
 * @param status the response status for FAILURE_STATUS, else ignored
 * @param idempotent `isIdempotent(method)`
 * @param body where the request body stands
 */
export function retryDecision(
  policy: RetryPolicy,
  retried: number,
  failure: Failure,
  status: number,
  idempotent: boolean,
  body: BodyState,
): RetryReason {
  if (retried >= policy.retries) return NO_RETRY;
  let reason: RetryReason = NO_RETRY;
  switch (failure) {
    case FAILURE_CONNECT:
      // Rule 3: nothing was sent; only a consumed body stream stands in the way.
      return policy.connectFailure && body !== BODY_STREAM_READ ? RETRY_CONNECT_FAILURE : NO_RETRY;
    case FAILURE_RESET:
      if (policy.reset) reason = RETRY_RESET;
      break;
    case FAILURE_TIMEOUT:
      if (policy.perTryTimeoutMs > 0) {
        if (policy.gatewayError) reason = RETRY_GATEWAY_ERROR;
        else if (policy.serverError) reason = RETRY_5XX;
      }
      break;
    case FAILURE_STATUS:
      if (policy.retriableStatus && policy.statuses.includes(status)) reason = RETRY_RETRIABLE_STATUS;
      else if (policy.gatewayError && (status === 502 || status === 503 || status === 504)) reason = RETRY_GATEWAY_ERROR;
      else if (policy.serverError && status >= 500 && status <= 599) reason = RETRY_5XX;
      break;
    default:
      return NO_RETRY;
  }
  if (reason === NO_RETRY) return NO_RETRY;
  // Rule 4: the upstream may have seen the request.
  if (!idempotent && !policy.retryNonIdempotent) return NO_RETRY;
  // Rule 5: the body must be sendable again.
  if (body !== BODY_NONE && body !== BODY_BUFFERED) return NO_RETRY;
  return reason;
}
