import type { EndpointSpec, UpstreamSpec } from '@weir/runtime';
import { tlsIdentity } from './tls-identity';

/**
 * The stable identity of one endpoint's connection pool: the upstream's name, the endpoint's
 * address, and every setting that shapes the pool (DESIGN.md section 2, "Reconciliation").
 *
 * Two runtimes that produce the same key share one undici `Pool`, so a reload that leaves an
 * upstream alone keeps its keep-alive connections; change any part and the endpoint gets a fresh
 * pool while the old one drains with the runtime that still uses it. The endpoint's `weight`
 * is not part of the key: it only steers the balancer, not the connections. TLS settings are,
 * through `tlsIdentity` (`plain`, or a digest of the CA, server name, verification, client
 * certificate and minimum version): a new CA or client certificate means new connections.
 *
 * Format (`|`-separated, fixed field order, never parsed back):
 * `upstream|address|connectMs|requestMs|idleMs|connections|keepAliveMs|tls`.
 */
export function endpointKey(upstream: UpstreamSpec, endpoint: EndpointSpec): string {
  const t = upstream.timeouts;
  const p = upstream.pool;
  return `${upstream.name}|${endpoint.address}|${t.connectMs}|${t.requestMs}|${t.idleMs}|${p.connections}|${p.keepAliveMs}|${tlsIdentity(upstream.tls)}`;
}
