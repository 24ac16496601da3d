/**
 * @weir/dataplane: the modules that serve requests inside a worker (DESIGN.md section 3).
 * Explicit named exports only (STYLE.md rule 2).
 */

// --- I/O half: data plane facade, assemble, registry, proxy, server ---------------------
export { DataPlane } from './data-plane';
export type { DataPlaneOptions, PrepareResult } from './data-plane';
export { assemble, WorkerRuntime, NO_UPSTREAM_LABEL } from './assemble/index';
export type {
  AssembleDeps,
  DirectResponse,
  IndexPicker,
  ListenerRoutes,
  RouteRuntime,
  RouteTarget,
  UpstreamRuntime,
} from './assemble/index';
export { EndpointRegistry, endpointKey, createEndpointPool } from './registry/index';
export {
  ProxyHandler,
  ProxyResponse,
  NO_ROUTE_LABEL,
  copyRequestHeaders,
  copyResponseHeaders,
  upstreamErrorCode,
  REQUEST_HAS_BODY,
  VIA_ENTRY,
} from './proxy/index';
export type { ProxyHandlerOptions, RuntimeSource } from './proxy/index';
export { ListenerSet, listenerKey, READY_PATH } from './server/index';
export type { BoundListener, ConnectionObserver, Listener, ListenerSetOptions } from './server/index';

// --- Selection half: router, traffic, balancer -------------------------------------------
export { Router } from './router/index';
export type { RouterEntry } from './router/index';
export { WeightedTable, TrafficPlan } from './traffic/index';
export { RoundRobinBalancer, createBalancer } from './balancer/index';
export type { Balancer, BalancerOptions, BalancerPolicy } from './balancer/index';
export type { SplitEntry, WeightedTableOptions } from './traffic/index';
