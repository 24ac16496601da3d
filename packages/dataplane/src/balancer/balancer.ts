/**
 * Endpoint selection within one upstream (STYLE.md rule 10: a pure decision, no I/O).
 *
 * Balancers are built once per upstream in `assemble` over an `EndpointView` (the endpoints'
 * shared health, ejection and load) and keep their own state (cursors, tables) per worker.
 * `pick()` returns an index into the upstream's endpoint list, or `NO_ENDPOINT`.
 *
 * Every policy follows the same contract:
 *
 * - it only returns an endpoint that is available (healthy if checked, not ejected), unless the
 *   view is in panic mode, where every endpoint is eligible (Envoy's panic threshold);
 * - it prefers endpoints the `filter` accepts (a retry avoiding the endpoints it already tried)
 *   and falls back to any eligible endpoint when none is accepted;
 * - it is bounded: at most `PICK_TRIES` policy candidates, then one linear scan over the
 *   endpoints (`EndpointView.scan`), so a pick costs O(1) normally and O(n) at worst.
 */
export interface Balancer {
  /**
   * @param hash the request's hash key (an unsigned 32-bit integer from `RequestHasher`), or
   *   `NO_HASH`; only consistent-hashing policies read it, and they pick at random without one.
   * @param filter a preference among endpoints, or null.
   * @returns an endpoint index, or `NO_ENDPOINT` when no endpoint is available and panic mode
   *   is off (`panicThresholdPercent: 0`).
   */
  pick(hash: number, filter: PickFilter | null): number;
}

/**
 * A preference the caller expresses per pick, implemented by a long-lived object (the request's
 * exchange, say) rather than a per-request closure (STYLE.md rule 7).
 */
export interface PickFilter {
  /** Whether `endpoint` is preferred. Must be cheap and have no side effects. */
  accepts(endpoint: number): boolean;
}

/** `pick()`'s answer when no endpoint may be used. */
export const NO_ENDPOINT = -1;

/** The `hash` argument of a request without a hash key. */
export const NO_HASH = -1;

/**
 * Policy candidates tried before the linear scan. Large enough that a few unavailable
 * endpoints never reach the scan; small enough that a mostly-down upstream does not burn time
 * drawing candidates that are bound to fail.
 */
export const PICK_TRIES = 8;

/** Names of the selection policies (the spec's `balancer.policy`). */
export type BalancerPolicy = 'round_robin' | 'least_request' | 'random' | 'ring_hash' | 'maglev';
