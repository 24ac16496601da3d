/**
 * Assemble module: spec + previous runtime -> WorkerRuntime, reusing pools by identity
 * (STYLE.md section 1.2).
 */
export { assemble, assembleAsync, ASSEMBLE_ROUTES_PER_SLICE, ASSEMBLE_UPSTREAMS_PER_SLICE, NO_UPSTREAM_LABEL, NO_ROUTE_LABEL } from './assemble';
export type { AssembleDeps } from './assemble';
export { WorkerRuntime, DEFAULT_REQUEST_POLICY } from './worker-runtime';
export type { PolicyDeps } from './policy-deps';
export { JwksStore } from './jwks-store';
export { WorkerPolicy } from './worker-policy';
export type { WorkerPolicyOptions } from './worker-policy';
export type { RouteTraffic, RouteMirror, RouteFault } from './route-traffic';
export { buildUpstreamResilience, outlierTickMs, tickOutliers } from './upstream-resilience';
export type { UpstreamResilience, ResilienceDeps } from './upstream-resilience';
export type {
  ClientAddressSource,
  DirectResponse,
  RequestPolicy,
  IndexPicker,
  ListenerRoutes,
  RouteRuntime,
  RouteTarget,
  UpstreamRuntime,
} from './worker-runtime';
export { readUpstreamStates } from './upstream-states';
export type { EndpointStateReading, UpstreamStateReading } from './upstream-states';
