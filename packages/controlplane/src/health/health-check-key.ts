import type { EndpointSpec, UpstreamSpec } from '@weir/runtime';

/**
 * The stable identity of one endpoint's active health state (DESIGN.md section 2,
 * "Reconciliation"): the upstream's name, the endpoint's address, and the check settings that
 * decide what "healthy" means: `path`, `timeoutMs` and `expectedStatuses`. An apply that keeps
 * them keeps the endpoint's health and its consecutive counts, so an unrelated config change
 * never resets health. Thresholds, interval and jitter are not part of it: they change how the
 * state evolves from now on, not what it means, and take effect on the kept state.
 * `initialState` only shapes a state that does not exist yet.
 *
 * Format (`|`-separated, fixed order, never parsed back): `upstream|address|path|timeoutMs|ranges`.
 */
export function healthCheckKey(upstream: UpstreamSpec, endpoint: EndpointSpec): string {
  const check = upstream.healthCheck;
  if (check === null) return `${upstream.name}|${endpoint.address}|unchecked`;
  let ranges = '';
  for (let i = 0; i < check.expectedStatuses.length; i++) {
    const r = check.expectedStatuses[i] as readonly [number, number];
    ranges += (i === 0 ? '' : ',') + `${r[0]}-${r[1]}`;
  }
  return `${upstream.name}|${endpoint.address}|${check.path}|${check.timeoutMs}|${ranges}`;
}
