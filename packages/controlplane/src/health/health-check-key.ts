import { createHash } from 'node:crypto';
import type { EndpointSpec, UpstreamSpec, UpstreamTlsSpec } from '@weir/runtime';

/**
 * The stable identity of one endpoint's active health state (DESIGN.md section 2,
 * "Reconciliation"): the upstream's name, the endpoint's address, and the check settings that
 * decide what "healthy" means: `path`, `timeoutMs` and `expectedStatuses`. An apply that keeps
 * them keeps the endpoint's health and its consecutive counts, so an unrelated config change
 * never resets health. Thresholds, interval and jitter are not part of it: they change how the
 * state evolves from now on, not what it means, and take effect on the kept state.
 * `initialState` only shapes a state that does not exist yet. An https upstream's TLS settings
 * are part of it too (a digest, as in dataplane's `tlsIdentity`): a check that trusts another
 * CA or presents another client certificate is another check.
 *
 * Format (`|`-separated, fixed order, never parsed back): `upstream|address|path|timeoutMs|ranges`,
 * then `|tls:<digest>` for an https upstream.
 */
export function healthCheckKey(upstream: UpstreamSpec, endpoint: EndpointSpec): string {
  const check = upstream.healthCheck;
  if (check === null) return `${upstream.name}|${endpoint.address}|unchecked`;
  let ranges = '';
  for (let i = 0; i < check.expectedStatuses.length; i++) {
    const r = check.expectedStatuses[i] as readonly [number, number];
    ranges += (i === 0 ? '' : ',') + `${r[0]}-${r[1]}`;
  }
  const tls = upstream.tls === null ? '' : `|${tlsDigest(upstream.tls)}`;
  return `${upstream.name}|${endpoint.address}|${check.path}|${check.timeoutMs}|${ranges}${tls}`;
}

/** `tls:` + the first 128 bits of a SHA-256 over every TLS field (no PEM text in keys). */
function tlsDigest(tls: UpstreamTlsSpec): string {
  const fields = [tls.caPem, tls.serverName, tls.verify, tls.certPem, tls.keyPem, tls.minVersion];
  return `tls:${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)}`;
}
