import type { FaultSpec, ForwardActionSpec } from '@weir/runtime';
import { WeirError } from '@weir/errors';
import { DelayGate, TrafficChooser, type MirrorSender, type MirrorSenders, type TrafficChoiceMetrics } from '../traffic/index';
import type { UpstreamRuntime } from './worker-runtime';

/** A route's mirror: where copies go and how. */
export interface RouteMirror {
  readonly upstream: UpstreamRuntime;
  readonly sender: MirrorSender;
  /** Lower-cased name of the header set to `1` on copies. */
  readonly header: string;
  readonly maxBodyBytes: number;
}

/** A route's fault injection: the decision's spec and the gate capping delays in flight. */
export interface RouteFault {
  readonly spec: FaultSpec;
  readonly gate: DelayGate;
}

/**
 * The parts of a forwarding route's traffic plan beyond its weights (issue 19); a route without
 * `traffic` has none (null) and pays nothing for them.
 */
export interface RouteTraffic {
  /** Overrides and the sticky key, then the weights; null: the weights alone (`RouteRuntime.plan`). */
  readonly chooser: TrafficChooser | null;
  readonly mirror: RouteMirror | null;
  readonly fault: RouteFault | null;
}

/** What building a route's traffic needs from the worker. */
export interface TrafficDeps {
  readonly mirrors: MirrorSenders;
  readonly metrics: TrafficChoiceMetrics | null;
  readonly random?: () => number;
}

/** Builds a forwarding route's traffic; null when its spec has none. */
export function buildRouteTraffic(
  route: string,
  action: ForwardActionSpec,
  upstreams: ReadonlyMap<string, UpstreamRuntime>,
  deps: TrafficDeps,
  senders: Set<MirrorSender>,
): RouteTraffic | null {
  const traffic = action.traffic;
  if (traffic === null) return null;
  const chooser =
    traffic.overrides.length !== 0 || traffic.sticky !== null
      ? new TrafficChooser(traffic, action.split, {
          route,
          ...(deps.random === undefined ? {} : { random: deps.random }),
          ...(deps.metrics === null ? {} : { metrics: deps.metrics }),
        })
      : null;
  let mirror: RouteMirror | null = null;
  const m = traffic.mirror;
  if (m !== null) {
    const upstream = upstreams.get(m.upstream);
    if (upstream === undefined) throw new WeirError('WEIR_ERR_INTERNAL', `route ${route} mirrors to unknown upstream ${m.upstream}`);
    const sender = deps.mirrors.sender(route, m, upstream.requestTimeoutMs, upstream.idleTimeoutMs);
    senders.add(sender);
    mirror = Object.freeze({ upstream, sender, header: m.header, maxBodyBytes: m.maxBodyBytes });
  }
  const f = traffic.fault;
  const fault = f === null ? null : Object.freeze({ spec: f, gate: new DelayGate(f.maxActiveDelays) });
  if (chooser === null && mirror === null && fault === null) return null;
  return Object.freeze({ chooser, mirror, fault });
}
