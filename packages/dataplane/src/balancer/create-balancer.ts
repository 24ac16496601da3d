import type { Balancer, BalancerPolicy } from './balancer';
import type { EndpointView } from './endpoint-view';
import { LeastRequestBalancer } from './least-request-balancer';
import { MaglevBalancer } from './maglev-balancer';
import { RandomBalancer } from './random-balancer';
import { RingHashBalancer } from './ring-hash-balancer';
import { RoundRobinBalancer } from './round-robin-balancer';

/** Options of `createBalancer`; each policy reads the ones it knows. */
export interface BalancerOptions {
  /** Round robin's first table position. Default `0`. */
  readonly start?: number;
  /** Randomness for random, least-request and key-less hashing picks, `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Builds the balancer for a policy over `view`, from the endpoints' addresses (hashing policies
 * place endpoints by address) and weights, both in endpoint order. The one place that maps a
 * policy name to its class, so `assemble` stays unaware of the policies.
 *
 * @throws WeirError WEIR_ERR_INTERNAL when weights are empty or not positive integers.
 */
export function createBalancer(
  policy: BalancerPolicy,
  view: EndpointView,
  addresses: readonly string[],
  weights: readonly number[],
  options?: BalancerOptions,
): Balancer {
  const random = options?.random ?? Math.random;
  switch (policy) {
    case 'round_robin':
      return new RoundRobinBalancer(view, weights, { start: options?.start ?? 0 });
    case 'least_request':
      return new LeastRequestBalancer(view, weights, random);
    case 'random':
      return new RandomBalancer(view, weights, random);
    case 'ring_hash':
      return new RingHashBalancer(view, addresses, weights, random);
    case 'maglev':
      return new MaglevBalancer(view, addresses, weights, random);
  }
}
