import type { FaultConfig, MirrorConfig, RouteConfig, StickyKeyConfig, TrafficOverrideConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import { configDefaults } from '../spec/index';
import type { FaultSpec, MirrorSpec, StickyKeySpec, TrafficOverrideSpec, TrafficSpec } from '../spec/index';

const d = configDefaults;

/**
 * A forwarding route's traffic plan (issue 19) for the spec: `null` when the route has no
 * `traffic` or one with none of `overrides`, `sticky`, `mirror`, `fault` (so `traffic: {}` costs
 * the data plane nothing, as an empty plugin chain does); otherwise every default filled in from
 * `configDefaults`, header names lower-cased (cookie and claim names keep their case), and each
 * override's upstream turned into its index in `split`, the route's split as built (the
 * `upstream` shorthand is a one-entry split), so a worker never looks a name up per request.
 * Objects list their keys sorted, like the rest of the build (see spec/canonical-json.ts).
 *
 * An override naming an upstream outside the split cannot be built at all; validation rejects
 * it first, and a config that skipped validation gets WEIR_ERR_CONFIG_INVALID with the pointer.
 */
export function buildTraffic(route: RouteConfig, routeIndex: number, split: readonly { readonly upstream: string }[]): TrafficSpec | null {
  const traffic = route.traffic;
  if (traffic === undefined) return null;
  const overrides = traffic.overrides ?? [];
  if (overrides.length === 0 && traffic.sticky === undefined && traffic.mirror === undefined && traffic.fault === undefined) return null;
  const built: TrafficOverrideSpec[] = [];
  for (let j = 0; j < overrides.length; j++) built.push(buildOverride(overrides[j] as TrafficOverrideConfig, split, routeIndex, j));
  return {
    fault: traffic.fault === undefined ? null : buildFault(traffic.fault),
    mirror: traffic.mirror === undefined ? null : buildMirror(traffic.mirror),
    overrides: built,
    sticky: traffic.sticky === undefined ? null : buildSticky(traffic.sticky),
  };
}

function buildOverride(
  override: TrafficOverrideConfig,
  split: readonly { readonly upstream: string }[],
  routeIndex: number,
  index: number,
): TrafficOverrideSpec {
  let target = -1;
  for (let k = 0; k < split.length; k++) {
    if ((split[k] as { readonly upstream: string }).upstream === override.upstream) {
      target = k;
      break;
    }
  }
  if (target === -1) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `override upstream "${override.upstream}" is not in the route's split`, {
      pointer: `/routes/${routeIndex}/traffic/overrides/${index}/upstream`,
    });
  }
  // Validation guarantees exactly one of header and cookie; header wins for a config that
  // skipped it.
  if (override.header !== undefined) {
    return { name: override.header.name.toLowerCase(), source: 'header', target, value: override.header.value ?? null };
  }
  const cookie = override.cookie as { readonly name: string; readonly value?: string };
  return { name: cookie.name, source: 'cookie', target, value: cookie.value ?? null };
}

function buildSticky(sticky: StickyKeyConfig): StickyKeySpec {
  switch (sticky.kind) {
    case 'header':
      return { kind: 'header', name: sticky.name.toLowerCase() };
    case 'cookie':
      return { kind: 'cookie', name: sticky.name };
    case 'claim':
      return { kind: 'claim', name: sticky.name };
    default:
      return { kind: 'clientAddress' };
  }
}

function buildMirror(mirror: MirrorConfig): MirrorSpec {
  const m = d.mirror;
  return {
    header: (mirror.header ?? m.header).toLowerCase(),
    maxBodyBytes: mirror.maxBodyBytes ?? m.maxBodyBytes,
    maxInFlight: mirror.maxInFlight ?? m.maxInFlight,
    percent: mirror.percent ?? m.percent,
    upstream: mirror.upstream,
  };
}

/** `0` percent (and `0` ms or status) stands for "no delay" ("no abort") when one is absent. */
function buildFault(fault: FaultConfig): FaultSpec {
  const f = d.fault;
  return {
    abortPercent: fault.abort?.percent ?? 0,
    abortStatus: fault.abort?.status ?? 0,
    delayMs: fault.delay?.ms ?? 0,
    delayPercent: fault.delay?.percent ?? 0,
    headerControlled: fault.headerControlled ?? f.headerControlled,
    maxActiveDelays: fault.maxActiveDelays ?? f.maxActiveDelays,
  };
}
