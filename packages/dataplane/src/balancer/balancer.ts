/**
 * Endpoint selection within one upstream (STYLE.md rule 10: a pure decision, no I/O).
 *
 * `pick()` returns an index into the upstream's endpoint list as given to the balancer's
 * constructor. Implementations are built once per upstream in `assemble` and keep their
 * state (cursors, counters) per worker. Later policies (least request, hashing) and health or
 * ejection filtering extend this interface with `pick(key, accept)` and a bounded retry.
 */
export interface Balancer {
  /** Index of the endpoint to use for the next request. */
  pick(): number;
}

/** Names of the selection policies. Default (in the spec): `round_robin`. */
export type BalancerPolicy = 'round_robin';
