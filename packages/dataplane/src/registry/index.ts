/**
 * Registry module: endpoint identity keys and the undici pools they own (DESIGN.md section 2,
 * "Reconciliation"). The only module, with proxy, that touches upstream sockets.
 */
export { endpointKey } from './endpoint-key';
export { EndpointRegistry } from './endpoint-registry';
export { createEndpointPool } from './create-pool';
export { EndpointState, stateEpoch } from './endpoint-state';
export type { StateEpoch } from './endpoint-state';
export { endpointStateKey, endpointStateKeyOf, breakerKey } from './state-keys';
export { tlsIdentity } from './tls-identity';
