import type { Pool } from 'undici';
import type { HttpsRedirectSpec, Retirable, UpgradesSpec } from '@weir/runtime';
import type { DataplaneMetrics, RequestMetricHandle, RolloutArm } from '@weir/obs';
import type { Router } from '../router/index';
import type { EndpointRegistry, EndpointState } from '../registry/index';
import type { Balancer, EndpointView, RequestHasher } from '../balancer/index';
import type { RetryPolicy } from '../retry/index';
import type { UpstreamResilience } from './upstream-resilience';
import type { PluginChain } from '@weir/plugins';
import type { RouteLimits } from '../limits/index';
import type { RouteTraffic } from './route-traffic';
import type { RouteCache } from '@weir/cache';
import type { WorkerTracer } from '../tracing/index';

/** Anything that picks an index: a balancer over endpoints, a traffic plan over groups. */
export interface IndexPicker {
  pick(): number;
}

/** A direct-response route's answer, encoded once at assemble time. */
export interface DirectResponse {
  readonly status: number;
  /** Flat `[name, value, ...]` list for `res.writeHead`, `content-length` included. */
  readonly headers: readonly string[];
  readonly body: Buffer;
}

/**
 * One upstream of a runtime: its endpoints' pools, the policy that picks among them, and its
 * breaker, limits and outlier detector (`UpstreamResilience`).
 */
export interface UpstreamRuntime extends UpstreamResilience {
  readonly name: string;
  /** One pool per endpoint, in spec order; shared through the registry with other runtimes. */
  readonly pools: readonly Pool[];
  /** Endpoint addresses (`host:port`), same order as `pools`; for logs. */
  readonly addresses: readonly string[];
  /** The upstream's `timeouts.requestMs`, the headers timeout of routes without an override. */
  readonly requestTimeoutMs: number;
  /**
   * The upstream's `timeouts.idleMs`: besides undici's response body timeout, the longest the
   * client may leave the request body silent while it is forwarded (408, see `ProxyExchange`).
   */
  readonly idleTimeoutMs: number;
  /**
   * The upstream's policy over `pools`; null when there is a single endpoint and panic mode is
   * on (index 0 whatever its health: panic would pick it anyway).
   */
  readonly balancer: Balancer | null;
  /** Shared per-endpoint state (health, ejection, in-flight count), same order as `pools`. */
  readonly states: readonly EndpointState[];
  /** Availability and panic mode over `states`, as this runtime's settings see them. */
  readonly view: EndpointView;
  /** The request hash key of a consistent-hashing policy; null for the other policies. */
  readonly hasher: RequestHasher | null;
}

/** One traffic group of a forwarding route: where to send, with which timeout and metrics. */
export interface RouteTarget {
  readonly upstream: UpstreamRuntime;
  /**
   * Headers timeout passed per attempt: the route's override, else the upstream's `requestMs`,
   * bounded by the route's `retry.perTryTimeoutMs` when set.
   */
  readonly headersTimeout: number;
  /** Request metrics labelled route x upstream, created once here; null without metrics. */
  readonly metric: RequestMetricHandle | null;
}

/** A route as the hot path sees it: everything precomputed. */
export interface RouteRuntime {
  readonly name: string;
  /** Set for direct-response routes, null for forwarding ones. */
  readonly direct: DirectResponse | null;
  /** Weighted pick among `targets`; null when there is one target (index 0). */
  readonly plan: IndexPicker | null;
  /** Forwarding targets in split order; empty for direct routes. */
  readonly targets: readonly RouteTarget[];
  /** Metrics of a direct route (upstream label empty); null for forwarding routes. */
  readonly metric: RequestMetricHandle | null;
  /** The route's retry policy; null when it never retries (and for direct routes). */
  readonly retry: RetryPolicy | null;
  /** The route's `timeouts.totalMs` (until the final attempt's response headers); 0 = none. */
  readonly totalTimeoutMs: number;
  /** The route's upgrade tunnels (WebSocket allowed, idle and lifetime limits); see `tunnel/`. */
  readonly upgrades: UpgradesSpec;
  /** Requests on a plain listener get this redirect to HTTPS instead of the route's action. */
  readonly httpsRedirect: HttpsRedirectSpec | null;
  /** The route's request plugins; null without any (the route pays nothing for them). */
  readonly plugins: PluginChain | null;
  /** The route's rate, concurrency and body limits; null without any. */
  readonly limits: RouteLimits | null;
  /** Overrides, sticky key, mirror and faults of a forwarding route; null without any. */
  readonly traffic: RouteTraffic | null;
  /** The route's response cache in this worker (kept across versions); null without `cache`. */
  readonly cache: RouteCache | null;
  /** Share of new traces sampled on this route; null = the spec's `tracing.ratio`. */
  readonly tracingRatio: number | null;
}

/** Resolves the client address behind trusted proxies (`server/client-address.ts`). */
export interface ClientAddressSource {
  resolve(peer: string, rawHeaders: readonly string[]): string;
}

/** Request handling that applies before routing, the same for every route of a runtime. */
export interface RequestPolicy {
  /** null: no trusted proxies, the TCP peer is the client (no header is read). */
  readonly clientAddress: ClientAddressSource | null;
  /** `server.paths`. */
  readonly mergeSlashes: boolean;
  readonly rejectEscapedSlashes: boolean;
  /** Trace context and spans (issue 18); null when `tracing.propagation` is off. */
  readonly tracer: WorkerTracer | null;
}

/** The policy of a spec without `clientAddress` and `server.paths`: the defaults. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = Object.freeze({ clientAddress: null, mergeSlashes: true, rejectEscapedSlashes: true, tracer: null });

/** The request metric handles a runtime took, and where to give them back. */
export interface MetricRefs {
  readonly metrics: DataplaneMetrics | null;
  readonly handles: readonly RequestMetricHandle[];
}

/** The route table of one listener. */
export interface ListenerRoutes {
  readonly router: Router<RouteRuntime>;
  /**
   * True when a route of this listener matches on headers. Only then does the proxy pass
   * `req.headers` to the router: Node builds that object lazily, and most requests never need it.
   */
  readonly needsHeaders: boolean;
  /** The listener is TLS: `X-Forwarded-Proto: https`, and routes' `httpsRedirect` does not apply. */
  readonly secure: boolean;
}

/**
 * Everything one config version needs to serve requests in this worker, built by `assemble` and
 * immutable once published (STYLE.md rule 12). Requests hold it through the RuntimeStore; when
 * a newer runtime replaced it and its last request released it, the store calls `retire()`,
 * which gives its pools back to the registry (pools still used by a newer runtime stay open).
 */
export class WorkerRuntime implements Retirable {
  /** The spec's version id. */
  readonly version: string;
  /** Route tables by listener name. */
  readonly listeners: ReadonlyMap<string, ListenerRoutes>;
  /** Upstreams by name. */
  readonly upstreams: ReadonlyMap<string, UpstreamRuntime>;
  /** `candidate` for the runtime a rollout tests next to the running one, else `stable`. */
  readonly arm: RolloutArm;
  /** Metrics of requests no route matched on this runtime (its arm); null without metrics. */
  readonly noRouteMetric: RequestMetricHandle | null;
  /** Client address and path policy, applied before routing. */
  readonly policy: RequestPolicy;
  private readonly registry: EndpointRegistry;
  private readonly keys: readonly string[];
  private readonly stateKeys: readonly string[];
  private readonly metricRefs: MetricRefs | null;
  /** Retirement bookkeeping in a separate object, so a shallow `Object.freeze` of the runtime
   * (tests assert immutability that way) leaves `retire()` working. */
  private readonly state: { retired: boolean };

  constructor(
    version: string,
    listeners: ReadonlyMap<string, ListenerRoutes>,
    upstreams: ReadonlyMap<string, UpstreamRuntime>,
    registry: EndpointRegistry,
    keys: readonly string[],
    stateKeys: readonly string[] = [],
    arm: RolloutArm = 'stable',
    noRouteMetric: RequestMetricHandle | null = null,
    metricRefs: MetricRefs | null = null,
    policy: RequestPolicy = DEFAULT_REQUEST_POLICY,
  ) {
    this.policy = policy;
    this.version = version;
    this.listeners = listeners;
    this.upstreams = upstreams;
    this.arm = arm;
    this.noRouteMetric = noRouteMetric;
    this.metricRefs = metricRefs;
    this.registry = registry;
    this.keys = keys;
    this.stateKeys = stateKeys;
    this.state = { retired: false };
  }

  /**
   * The client address of a request from `peer` under this runtime's `clientAddress` policy:
   * the peer itself without trusted proxies (no header is read), else the resolved address. The
   * one place every feature keyed on the client asks.
   */
  clientAddressOf(peer: string | undefined, rawHeaders: readonly string[]): string {
    const resolver = this.policy.clientAddress;
    const p = peer ?? '';
    return resolver === null ? p : resolver.resolve(p, rawHeaders);
  }

  /** Registry keys this runtime holds, one per endpoint. */
  get endpointKeys(): readonly string[] {
    return this.keys;
  }

  /**
   * Releases this runtime's pools and endpoint states to the registry, and its metric handles
   * (a label set no runtime holds any more is forgotten with its series). Idempotent.
   */
  retire(): void {
    if (this.state.retired) return;
    this.state.retired = true;
    for (let i = 0; i < this.keys.length; i++) this.registry.release(this.keys[i] as string);
    for (let i = 0; i < this.stateKeys.length; i++) this.registry.releaseState(this.stateKeys[i] as string);
    const refs = this.metricRefs;
    if (refs === null || refs.metrics === null) return;
    for (let i = 0; i < refs.handles.length; i++) refs.metrics.releaseLabels(refs.handles[i] as RequestMetricHandle);
  }
}
