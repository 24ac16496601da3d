import { runSteps, runStepsAsync, yieldToEventLoop, type Spec, type UpstreamSpec, type RouteSpec, type ForwardActionSpec, type YieldFn } from '@weir/runtime';
import type { DataplaneMetrics, RequestMetricHandle, RolloutArm } from '@weir/obs';
import { WeirError } from '@weir/errors';
import { RouterBuilder } from '../router/index';
import type { RouterEntry } from '../router/index';
import { TrafficPlan } from '../traffic/index';
import { EndpointView, RequestHasher, createBalancer, type ViewClock } from '../balancer/index';
import { EndpointRegistry, createEndpointPool, endpointKey, endpointStateKey, type EndpointState } from '../registry/index';
import { monotonicClock } from '../breaker/index';
import { RetryPolicy } from '../retry/index';
import { buildPluginChain } from '@weir/plugins';
import { buildRouteLimits, type ConcurrencyGate } from '../limits/index';
import { ClientAddressResolver } from '../server/index';
import { buildDirectResponse } from './direct-response';
import type { PolicyDeps } from './policy-deps';
import { buildRouteTraffic } from './route-traffic';
import { MirrorSenders, type MirrorSender } from '../traffic/index';
import { CacheRegistry } from '../cache/index';
import type { RouteCache } from '@weir/cache';
import { buildUpstreamResilience } from './upstream-resilience';
import { RandomIds, type IdSource } from '@weir/tracing';
import { TraceExports, WorkerTracer, type TraceScope } from '../tracing/index';
import {
  WorkerRuntime,
  type ListenerRoutes,
  type RouteRuntime,
  type RouteTarget,
  type UpstreamRuntime,
} from './worker-runtime';

/** What `assemble` needs from the worker besides the spec. */
export interface AssembleDeps {
  /** Owner of the worker's pools; the runtime acquires one reference per endpoint. */
  readonly registry: EndpointRegistry;
  /** Request metrics; null records none (label sets are created here, never per request). */
  readonly metrics: DataplaneMetrics | null;
  /** Source of traffic-split and balancer randomness, `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * The monotonic clock balancers compare outlier ejection deadlines with; it must be the
   * outlier detector's. Default `performance.now()`.
   */
  readonly clock?: ViewClock;
  /** Which rollout arm the runtime serves; its request metrics carry it. Default `stable`. */
  readonly arm?: RolloutArm;
  /**
   * Rate-limit tokens, concurrency gates and JWKS key sets for routes' plugins and limits.
   * Required when a spec has any; a spec without plugins and limits needs none.
   */
  readonly policy?: PolicyDeps;
  /** Trace and span ids (issue 18). Default: random (`RandomIds`). */
  readonly traceIds?: IdSource;
}

/** The `upstream` label of requests no upstream served (direct responses, no route). */
export const NO_UPSTREAM_LABEL = '';

/** The route label of requests no route matched. */
export const NO_ROUTE_LABEL = '';

/**
 * Routes (and router entries) built per slice by `assembleAsync`. Measured on this project's
 * 2-core machine (100,000 routes, 100 upstreams, prom-client metrics): a slice of 500 takes
 * 1.2-1.4 ms at the median and about 2 ms at p90, under the ~5 ms a worker may hold its event
 * loop while it prepares (issue 15). The rarer longer blocks (6-15 ms) are V8 scavenges of the
 * new runtime's objects, which smaller slices would not shorten.
 */
export const ASSEMBLE_ROUTES_PER_SLICE = 500;

/** Upstreams built per slice (each opens its endpoints' pools and metric label sets). */
export const ASSEMBLE_UPSTREAMS_PER_SLICE = 50;

/**
 * Builds a worker's runtime from a spec (STYLE.md section 1.2): upstreams first (pools from the
 * registry by `endpointKey`, so an upstream whose settings did not change keeps its pools and
 * their keep-alive connections across the reload), then every route compiled once (direct
 * responses encoded, traffic plans, per-target headers timeouts and metric handles), then one
 * router per listener over the routes that apply to it (a route's `listeners`, empty = all).
 *
 * `previous` is the runtime being replaced. Pools and endpoint states are reconciled through
 * the registry's reference counts; breakers, concurrency counts and outlier detectors are carried
 * over from `previous` by stable identity (`buildUpstreamResilience`), so a change elsewhere in
 * the config leaves an upstream's breaker open and its ejection history intact.
 *
 * On any error every pool reference taken so far is released and a WeirError is thrown
 * (WEIR_ERR_INTERNAL with the cause: the spec was validated, so a failure here is a bug).
 *
 * Runs in one go; a worker's prepare uses `assembleAsync`, which does the same work in slices.
 */
export function assemble(spec: Spec, previous: WorkerRuntime | null, deps: AssembleDeps): WorkerRuntime {
  return runSteps(assembleSteps(spec, previous, deps));
}

/**
 * `assemble` in slices (issue 15): at most `ASSEMBLE_UPSTREAMS_PER_SLICE` upstreams,
 * `ASSEMBLE_ROUTES_PER_SLICE` routes or as many router entries per slice, and each router's
 * `seal()` in a slice of its own, with `yieldFn` (default: `setImmediate`) awaited in between so
 * the worker keeps serving while it builds a 100,000-route runtime. Same steps in the same order
 * as `assemble`, so the same runtime.
 *
 * When `yieldFn` rejects (the prepare was aborted or the worker drains), everything taken so far
 * is released exactly as on a failure, and the promise rejects with that error unchanged.
 */
export function assembleAsync(
  spec: Spec,
  previous: WorkerRuntime | null,
  deps: AssembleDeps,
  yieldFn: YieldFn = yieldToEventLoop,
): Promise<WorkerRuntime> {
  return runStepsAsync(assembleSteps(spec, previous, deps), yieldFn);
}

/** Takes request metric handles and keeps each one, so the runtime can give them all back. */
class HandleRecorder {
  constructor(
    private readonly metrics: DataplaneMetrics,
    private readonly handles: RequestMetricHandle[],
  ) {}

  take(route: string, upstream: string, arm: RolloutArm | undefined): RequestMetricHandle {
    const handle = this.metrics.requestLabels(route, upstream, arm);
    this.handles.push(handle);
    return handle;
  }
}

type Labeller = HandleRecorder | null;

/** The work of `assemble`, one slice between two `yield`s. */
function* assembleSteps(spec: Spec, previous: WorkerRuntime | null, deps: AssembleDeps): Generator<void, WorkerRuntime, void> {
  const keys: string[] = [];
  const stateKeys: string[] = [];
  // Every metric handle taken: the runtime gives them back when it retires (or this build fails).
  const handles: RequestMetricHandle[] = [];
  const labels: Labeller = deps.metrics === null ? null : new HandleRecorder(deps.metrics, handles);
  let built = false;
  try {
    const upstreams = new Map<string, UpstreamRuntime>();
    for (let i = 0; i < spec.upstreams.length; i++) {
      if (i !== 0 && i % ASSEMBLE_UPSTREAMS_PER_SLICE === 0) yield;
      const u = spec.upstreams[i] as UpstreamSpec;
      upstreams.set(u.name, buildUpstream(u, deps, keys, stateKeys, previous === null ? undefined : previous.upstreams.get(u.name)));
    }
    const routes: RouteRuntime[] = [];
    const gates = new Set<ConcurrencyGate>();
    const senders = new Set<MirrorSender>();
    const caches = new Set<RouteCache>();
    for (let i = 0; i < spec.routes.length; i++) {
      if (i % ASSEMBLE_ROUTES_PER_SLICE === 0) yield;
      const route = buildRoute(spec.routes[i] as RouteSpec, upstreams, deps, labels, senders);
      if (route.cache !== null) caches.add(route.cache);
      if (route.limits !== null && route.limits.concurrency !== null) gates.add(route.limits.concurrency);
      routes.push(route);
    }
    // Idle gates no route of this runtime uses are forgotten (a runtime still serving keeps its
    // own references, so only sharing with later versions ends).
    if (deps.policy !== undefined) {
      deps.policy.gates.prune(gates);
      deps.policy.mirrors.prune(senders);
      // A rollout candidate shares the stable runtime's caches by route and settings; pruning
      // only on stable builds keeps the stable ones while a candidate is built.
      if (deps.arm !== 'candidate') deps.policy.caches.prune(caches);
    }
    const arm = deps.arm ?? 'stable';
    const tracer = buildTracer(spec, arm, deps);
    const listeners = new Map<string, ListenerRoutes>();
    for (let l = 0; l < spec.listeners.length; l++) {
      const name = spec.listeners[l]!.name;
      const secure = spec.listeners[l]!.protocol === 'tls';
      const builder = new RouterBuilder<RouteRuntime>();
      let needsHeaders = false;
      for (let r = 0; r < spec.routes.length; r++) {
        if (r % ASSEMBLE_ROUTES_PER_SLICE === 0) yield;
        const route = spec.routes[r] as RouteSpec;
        if (route.listeners.length !== 0 && !route.listeners.includes(name)) continue;
        builder.add({ match: route.match, value: routes[r] as RouteRuntime });
        if (route.match.headers.length !== 0) needsHeaders = true;
      }
      yield;
      listeners.set(name, Object.freeze({ router: builder.seal(), needsHeaders, secure }));
    }
    const noRoute = labels === null ? null : labels.take(NO_ROUTE_LABEL, NO_UPSTREAM_LABEL, arm);
    const paths = spec.server.paths;
    const runtime = new WorkerRuntime(
      spec.version,
      listeners,
      upstreams,
      deps.registry,
      keys,
      stateKeys,
      arm,
      noRoute,
      { metrics: deps.metrics, handles },
      {
        clientAddress: spec.clientAddress.trustedProxies.length === 0 ? null : new ClientAddressResolver(spec.clientAddress),
        mergeSlashes: paths.mergeSlashes,
        rejectEscapedSlashes: paths.escapedSlashes === 'reject',
        tracer,
      },
    );
    Object.freeze(runtime);
    built = true;
    return runtime;
  } catch (err) {
    throw new WeirError('WEIR_ERR_INTERNAL', `cannot assemble version ${spec.version}`, { cause: err });
  } finally {
    // On a failure, and when an async build is cancelled between slices (the generator is
    // closed), give back every pool and endpoint state taken so far.
    if (!built) {
      for (let i = 0; i < keys.length; i++) deps.registry.release(keys[i] as string);
      for (let i = 0; i < stateKeys.length; i++) deps.registry.releaseState(stateKeys[i] as string);
      if (deps.metrics !== null) for (let i = 0; i < handles.length; i++) deps.metrics.releaseLabels(handles[i] as RequestMetricHandle);
    }
  }
}

function buildUpstream(
  u: UpstreamSpec,
  deps: AssembleDeps,
  keys: string[],
  stateKeys: string[],
  previous: UpstreamRuntime | undefined,
): UpstreamRuntime {
  const registry = deps.registry;
  const pools = [];
  const states: EndpointState[] = [];
  const addresses: string[] = [];
  const weights: number[] = [];
  // A new endpoint under active checks starts as the check's initialState; one already known
  // keeps the health the primary last broadcast (EndpointState outlives the runtime).
  const initiallyHealthy = u.healthCheck === null || u.healthCheck.initialState === 'healthy';
  for (let e = 0; e < u.endpoints.length; e++) {
    const endpoint = u.endpoints[e]!;
    const key = endpointKey(u, endpoint);
    pools.push(registry.acquire(key, () => createEndpointPool(u, endpoint)));
    keys.push(key);
    const stateKey = endpointStateKey(u, endpoint);
    states.push(registry.acquireState(stateKey, endpoint.address, initiallyHealthy));
    stateKeys.push(stateKey);
    addresses.push(endpoint.address);
    weights.push(endpoint.weight);
  }
  const b = u.balancer;
  const view = new EndpointView(Object.freeze(states), {
    checked: u.healthCheck !== null,
    panicThresholdPercent: b.panicThresholdPercent,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  });
  const random = deps.random ?? Math.random;
  // With one endpoint and panic mode on, the answer is index 0 whatever its state.
  const needsBalancer = pools.length > 1 || b.panicThresholdPercent === 0;
  return Object.freeze({
    name: u.name,
    pools: Object.freeze(pools),
    addresses: Object.freeze(addresses),
    requestTimeoutMs: u.timeouts.requestMs,
    idleTimeoutMs: u.timeouts.idleMs,
    balancer: needsBalancer ? createBalancer(b.policy, view, addresses, weights, { random }) : null,
    states: view.states,
    view,
    hasher: b.hashOn === null || pools.length === 1 ? null : new RequestHasher(b.hashOn),
    ...buildUpstreamResilience(u, pools, view.states, previous, {
      clock: deps.clock ?? monotonicClock,
      metrics: deps.metrics === null ? null : deps.metrics.upstreamResilience(u.name),
    }),
  });
}

/** The route's plugin chain and limits (null, null for a route without either). */
function buildPolicy(route: RouteSpec, deps: AssembleDeps): Pick<RouteRuntime, 'plugins' | 'limits'> {
  const hasPlugins = route.plugins.length !== 0;
  const l = route.limits;
  if (!hasPlugins && l.rate.length === 0 && l.maxConcurrent === 0 && l.maxBodyBytes === 0) return NO_POLICY;
  const policy = deps.policy;
  if (policy === undefined) throw new WeirError('WEIR_ERR_INTERNAL', `route ${route.name} has plugins or limits but the data plane gave no policy deps`);
  return {
    plugins: hasPlugins ? buildPluginChain(route.plugins, { jwks: policy.jwks, now: policy.now }) : null,
    limits: buildRouteLimits(route.name, l, policy.tokens, policy.gates),
  };
}

const NO_POLICY: Pick<RouteRuntime, 'plugins' | 'limits'> = Object.freeze({ plugins: null, limits: null });

/** Mirror senders and caches of a data plane built without policy deps (tests of assemble alone). */
let fallbackMirrors: MirrorSenders | null = null;
let fallbackCaches: CacheRegistry | null = null;

function buildRoute(
  route: RouteSpec,
  upstreams: ReadonlyMap<string, UpstreamRuntime>,
  deps: AssembleDeps,
  metrics: Labeller,
  senders: Set<MirrorSender>,
): RouteRuntime {
  const policy = buildPolicy(route, deps);
  if (route.action.kind === 'direct') {
    return Object.freeze({
      name: route.name,
      direct: buildDirectResponse(route.action),
      plan: null,
      targets: Object.freeze([]),
      metric: metrics === null ? null : metrics.take(route.name, NO_UPSTREAM_LABEL, deps.arm),
      retry: null,
      totalTimeoutMs: 0,
      upgrades: route.upgrades,
      httpsRedirect: route.httpsRedirect,
      plugins: policy.plugins,
      limits: policy.limits,
      traffic: null,
      cache: null,
      tracingRatio: route.tracingRatio,
    });
  }
  const action: ForwardActionSpec = route.action;
  const perTry = action.retry.perTryTimeoutMs;
  const targets: RouteTarget[] = [];
  for (let i = 0; i < action.split.length; i++) {
    const name = action.split[i]!.upstream;
    const upstream = upstreams.get(name);
    if (upstream === undefined) {
      throw new WeirError('WEIR_ERR_INTERNAL', `route ${route.name} names unknown upstream ${name}`);
    }
    const requestMs = action.requestTimeoutMs > 0 ? action.requestTimeoutMs : upstream.requestTimeoutMs;
    targets.push(
      Object.freeze({
        upstream,
        headersTimeout: perTry > 0 && perTry < requestMs ? perTry : requestMs,
        metric: metrics === null ? null : metrics.take(route.name, name, deps.arm),
      }),
    );
  }
  return Object.freeze({
    name: route.name,
    direct: null,
    plan: targets.length > 1 ? new TrafficPlan(action.split, deps.random) : null,
    targets: Object.freeze(targets),
    metric: null,
    retry: RetryPolicy.of(action.retry),
    totalTimeoutMs: action.totalTimeoutMs,
    upgrades: route.upgrades,
    httpsRedirect: route.httpsRedirect,
    plugins: policy.plugins,
    limits: policy.limits,
    traffic:
      action.traffic === null
        ? null
        : buildRouteTraffic(
            route.name,
            action,
            upstreams,
            {
              mirrors: deps.policy?.mirrors ?? (fallbackMirrors ??= new MirrorSenders(null)),
              metrics: deps.metrics === null ? null : (deps.metrics.traffic ?? null),
              ...(deps.random === undefined ? {} : { random: deps.random }),
            },
            senders,
          ),
    cache: action.cache === null ? null : (deps.policy?.caches ?? (fallbackCaches ??= new CacheRegistry())).cache(route.name, action.cache),
    tracingRatio: route.tracingRatio,
  });
}

/** Trace exports of a worker built without `policy` deps (tests of other features). */
let fallbackTraces: TraceExports | undefined;

/**
 * The runtime's tracer (issue 18), or null when propagation is off. The export queue and the
 * process resource are the worker's, kept across versions (`TraceExports`); a stable build
 * shuts down queues of export settings no longer in use.
 */
function buildTracer(spec: Spec, arm: RolloutArm, deps: AssembleDeps): WorkerTracer | null {
  const tracing = spec.tracing;
  const traces = deps.policy?.traces ?? (fallbackTraces ??= new TraceExports());
  const queue = tracing.propagation ? traces.queueFor(tracing) : null;
  if (arm !== 'candidate') traces.prune(queue === null ? new Set() : new Set([queue]));
  if (!tracing.propagation) return null;
  const scope: TraceScope = { group: traces.groupFor(tracing), version: spec.version, arm };
  return new WorkerTracer(tracing, queue, deps.traceIds ?? new RandomIds(), scope);
}
