/**
 * @weir/dataplane: the modules that serve requests inside a worker (DESIGN.md section 3).
 * Explicit named exports only (STYLE.md rule 2).
 */

// --- I/O half: data plane facade, assemble, registry, proxy, server ---------------------
export { DataPlane } from './data-plane';
export type { DataPlaneOptions, PrepareResult, EndpointHealthUpdate } from './data-plane';
export { assemble, assembleAsync, ASSEMBLE_ROUTES_PER_SLICE, WorkerRuntime, NO_UPSTREAM_LABEL, NO_ROUTE_LABEL } from './assemble/index';
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
export { EndpointState, stateEpoch, endpointStateKey, endpointStateKeyOf, breakerKey } from './registry/index';
export type { StateEpoch } from './registry/index';
export {
  ProxyHandler,
  ProxyResponse,
  copyRequestHeaders,
  copyResponseHeaders,
  upstreamErrorCode,
  REQUEST_HAS_BODY,
  VIA_ENTRY,
} from './proxy/index';
export type { ProxyHandlerOptions, RuntimeSource } from './proxy/index';
export { ListenerSet, listenerKey, READY_PATH } from './server/index';
export { TunnelHandler, TunnelRegistry, Tunnel, asksForWebSocket } from './tunnel/index';
export type { TunnelHandlerOptions } from './tunnel/index';
export type { BoundListener, ConnectionObserver, Listener, ListenerSetOptions } from './server/index';

// --- Selection half: router, traffic, balancer -------------------------------------------
export { Router, RouterBuilder } from './router/index';
export type { RouterEntry } from './router/index';
export { WeightedTable, TrafficPlan } from './traffic/index';
export {
  RoundRobinBalancer,
  RandomBalancer,
  LeastRequestBalancer,
  RingHashBalancer,
  MaglevBalancer,
  EndpointView,
  RequestHasher,
  createBalancer,
  hashString,
  NO_ENDPOINT,
  NO_HASH,
} from './balancer/index';
export type { Balancer, BalancerOptions, BalancerPolicy, PickFilter, EndpointViewOptions, ViewClock } from './balancer/index';
export type { SplitEntry, WeightedTableOptions } from './traffic/index';

// --- Resilience half: breaker, outlier, retry (pure state machines over an injected clock) ---
export {
  monotonicClock,
  ConcurrencyCounters,
  ConcurrencyLimits,
  FailureRatioBreaker,
  BREAKER_CLOSED,
  BREAKER_HALF_OPEN,
  BREAKER_OPEN,
} from './breaker/index';
export type {
  Clock,
  ConcurrencyLimitsOptions,
  ConnectionProbe,
  FailureRatioOptions,
  BreakerState,
  BreakerObserver,
  Admission,
  LimitResult,
} from './breaker/index';
export { OutlierDetector, outlierKey, outcomeOfStatus } from './outlier/index';
export type { OutlierDetectorOptions, EjectionTarget, EjectionReason, OutlierObserver, Outcome } from './outlier/index';
export { RetryPolicy, RetryBudget, retryDecision, backoffDelay, retryDelay, parseRetryAfter, isIdempotent } from './retry/index';
export type { RetryPolicyOptions, RetryBudgetOptions, RetryReason, BodyState, Failure } from './retry/index';
export type { UpstreamResilience } from './assemble/index';
export { WorkerTracer, TraceExports, RequestTrace, AttemptSpan, TRACE_SCOPE_VERSION } from './tracing/index';
export type { RequestFacts, TraceScope, TraceExportReadings, SinkFactory } from './tracing/index';
