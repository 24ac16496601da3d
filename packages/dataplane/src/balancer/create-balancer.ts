import type { Balancer, BalancerPolicy } from './balancer';
import { RoundRobinBalancer, type RoundRobinOptions } from './round-robin-balancer';

/** Options of `createBalancer`; each policy reads the ones it knows. */
export type BalancerOptions = RoundRobinOptions;

/**
 * Builds the balancer for a policy from the endpoints' weights (in endpoint order). The one
 * place that maps a policy name to its class, so `assemble` stays unaware of the policies.
 *
 * @throws WeirError WEIR_ERR_INTERNAL when weights are empty or not positive integers.
 */
export function createBalancer(
  policy: BalancerPolicy,
  weights: readonly number[],
  options?: BalancerOptions,
): Balancer {
  switch (policy) {
    case 'round_robin':
      return new RoundRobinBalancer(weights, options);
  }
}
