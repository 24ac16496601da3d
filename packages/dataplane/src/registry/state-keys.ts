import type { EndpointSpec, UpstreamSpec } from '@weir/runtime';

/**
 * Stable identity strings of the state that survives reloads (DESIGN.md section 2,
 * "Reconciliation"): one function per state kind, each made of the upstream's name, the
 * endpoint's address where the state is per endpoint, and exactly the settings that shape that
 * state. Two runtimes that produce the same key share the state; change a shaping setting and
 * the state starts afresh. `|`-separated, fixed field order, never parsed back. (Pools use
 * `endpointKey`; outlier detectors `outlierKey` in src/outlier; active health identity is the
 * primary checker's `healthCheckKey`, since the primary owns that state.)
 */

/**
 * `EndpointState` (health as broadcast, ejection end, in-flight count): upstream + address only.
 * No setting shapes it: health values are overwritten by the primary's broadcasts, ejections by
 * the outlier detector, and in-flight counts are facts about requests really in flight.
 */
export function endpointStateKey(upstream: UpstreamSpec, endpoint: EndpointSpec): string {
  return endpointStateKeyOf(upstream.name, endpoint.address);
}

/** `endpointStateKey` from the names alone, for results that name an endpoint (health updates). */
export function endpointStateKeyOf(upstream: string, address: string): string {
  return `${upstream}|${address}`;
}

/**
 * Circuit-breaker state of one upstream: upstream name + the failure-ratio settings, which shape
 * the closed/open/half-open machine and its window. The concurrency limits (`maxRequests`, ...)
 * and the retry budget are not part of it: they are thresholds compared with live counts, and
 * those counts are facts (requests really in flight) that must survive a change of limit, which
 * then applies at once. Per upstream, not per endpoint: the limits count the upstream as a whole.
 */
export function breakerKey(upstream: UpstreamSpec): string {
  const f = upstream.breaker.failureRatio;
  if (f === null) return `${upstream.name}|no-ratio`;
  return `${upstream.name}|${f.threshold}|${f.minimumRequests}|${f.windowMs}|${f.openMs}|${f.halfOpenProbes}`;
}
