/**
 * Balancer module: endpoint selection policies, built from the spec (STYLE.md rule 10).
 */
export type { Balancer, BalancerPolicy } from './balancer';
export { RoundRobinBalancer } from './round-robin-balancer';
export type { RoundRobinOptions } from './round-robin-balancer';
export { createBalancer } from './create-balancer';
export type { BalancerOptions } from './create-balancer';
