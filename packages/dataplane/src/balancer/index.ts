/**
 * Balancer module: endpoint selection policies over the endpoints' shared state, built from the
 * spec (STYLE.md rule 10), and the request hash key of consistent-hashing policies.
 */
export { NO_ENDPOINT, NO_HASH, PICK_TRIES } from './balancer';
export type { Balancer, BalancerPolicy, PickFilter } from './balancer';
export { EndpointView } from './endpoint-view';
export type { EndpointViewOptions, ViewClock } from './endpoint-view';
export { RoundRobinBalancer } from './round-robin-balancer';
export type { RoundRobinOptions } from './round-robin-balancer';
export { RandomBalancer } from './random-balancer';
export { LeastRequestBalancer } from './least-request-balancer';
export { RingHashBalancer } from './ring-hash-balancer';
export { MaglevBalancer } from './maglev-balancer';
export { RequestHasher } from './request-hasher';
export { hashString, hashRange, mix32 } from '../traffic/index';
export { createBalancer } from './create-balancer';
export type { BalancerOptions } from './create-balancer';
