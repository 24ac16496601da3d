/**
 * What one upstream attempt told the outlier detector about its endpoint. Plain numbers rather
 * than strings: the proxy reports one per attempt, and a switch on small integers is the
 * cheapest dispatch V8 has.
 *
 * The split follows Envoy's `split_external_local_origin_errors: true` mode
 * (docs/root/intro/arch_overview/upstream/outlier.rst): errors the upstream *sent* (5xx
 * responses) are counted apart from errors that happened *to* the exchange (local origin: the
 * connection was refused, reset or timed out).
 */
export type Outcome = 0 | 1 | 2 | 3;

/** A response below 500: resets every consecutive counter of the endpoint. */
export const OUTCOME_SUCCESS: Outcome = 0;
/** A 5xx response other than 502/503/504: counts toward `consecutive5xx`. */
export const OUTCOME_SERVER_ERROR: Outcome = 1;
/** A 502, 503 or 504 response: counts toward `consecutiveGatewayFailure` and `consecutive5xx`. */
export const OUTCOME_GATEWAY_ERROR: Outcome = 2;
/**
 * A local-origin failure (connect refused or timed out, reset, closed early, request timeout, an
 * unparsable response): counts toward `consecutiveLocalOriginFailure` only.
 */
export const OUTCOME_LOCAL_FAILURE: Outcome = 3;

/** The outcome of a response with `status` (a response arrived, so never a local failure). */
export function outcomeOfStatus(status: number): Outcome {
  if (status < 500) return OUTCOME_SUCCESS;
  if (status === 502 || status === 503 || status === 504) return OUTCOME_GATEWAY_ERROR;
  return OUTCOME_SERVER_ERROR;
}
