/**
 * Registry module: endpoint identity keys and the undici pools they own (DESIGN.md section 2,
 * "Reconciliation"). The only module, with proxy, that touches upstream sockets.
 */
export { endpointKey } from './endpoint-key';
export { EndpointRegistry } from './endpoint-registry';
export { createEndpointPool } from './create-pool';
