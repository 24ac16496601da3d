import type { ErrorCode } from '@weir/errors';

/**
 * How an attempt failed, as far as retrying is concerned. Numbers, so the decision is a few
 * integer compares.
 */
export type Failure = 0 | 1 | 2 | 3 | 4;
/** Not retryable whatever the policy (a broken response, an unknown error, a client error). */
export const FAILURE_OTHER: Failure = 0;
/** The connection could not be opened (refused, unreachable, connect timeout, TLS refused): nothing was sent. */
export const FAILURE_CONNECT: Failure = 1;
/** The connection was reset or closed before a response arrived: the request may have been seen. */
export const FAILURE_RESET: Failure = 2;
/** The attempt's time to response headers ran out. */
export const FAILURE_TIMEOUT: Failure = 3;
/** A response arrived; its status decides. */
export const FAILURE_STATUS: Failure = 4;

/**
 * The failure class of an attempt that ended with `code` (from `upstreamErrorCode`) before any
 * response arrived. Unparsable responses (`WEIR_ERR_UPSTREAM_PROTOCOL`) are not retried: a
 * broken upstream tends to break the same way again, and the request was processed.
 */
export function failureOfCode(code: ErrorCode): Failure {
  switch (code) {
    case 'WEIR_ERR_UPSTREAM_CONNECT':
    case 'WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT':
    // A refused TLS handshake: nothing was sent, and another endpoint's certificate may pass
    // (Envoy counts handshake failures as connect failures).
    case 'WEIR_ERR_UPSTREAM_TLS':
      return FAILURE_CONNECT;
    case 'WEIR_ERR_UPSTREAM_RESET':
      return FAILURE_RESET;
    case 'WEIR_ERR_UPSTREAM_TIMEOUT':
      return FAILURE_TIMEOUT;
    default:
      return FAILURE_OTHER;
  }
}
