import { Counter, Gauge, Registry } from 'prom-client';
import { metricOptions as config } from './metric-options';
import { EdgeMetrics } from './edge-metrics';
import { TunnelMetrics } from './tunnel-metrics';
import { PolicyMetrics } from './policy-metrics';
import { CacheMetrics } from './cache-metrics';
import { TracingMetrics } from './tracing-metrics';
import { TrafficMetrics } from './traffic-metrics';
import { metricCatalogue } from './catalogue';
import { HistogramFamily } from './histogram-family';
import { RequestMetricHandle } from './request-metric-handle';
import { UpstreamResilienceMetrics } from './upstream-resilience-metrics';

/** The rollout arm a runtime serves: the running config, or the candidate a rollout tests. */
export type RolloutArm = 'stable' | 'candidate';

/**
 * The metrics a worker records, built from the catalogue. One instance per worker process.
 *
 * Hot-path methods (`RequestMetricHandle.observe`, `inFlightInc/Dec`, `connectionOpened/Closed`)
 * only touch plain numbers; prom-client sees the values at scrape time through `collect` hooks,
 * so recording costs nanoseconds and nothing is allocated per request. Cold-path methods
 * (`upstreamError`, `setConfigVersion`) call prom-client directly.
 */
export class DataplaneMetrics {
  /** The registry every metric is registered in: scrape it, or hand it to the cluster aggregator. */
  readonly registry: Registry;
  private readonly requests: Counter<string>;
  private readonly duration: HistogramFamily;
  private readonly upstreamErrors: Counter<string>;
  private readonly configInfo: Gauge<string>;
  private readonly handles = new Map<string, RequestMetricHandle>();
  private readonly resilience = new Map<string, UpstreamResilienceMetrics>();
  private readonly resilienceCounters: {
    retries: Counter<string>;
    denied: Counter<string>;
    ejections: Counter<string>;
    opens: Counter<string>;
  };
  private inFlight = 0;
  private connections = 0;
  /** TLS and HTTP/2 metrics (certificate expiry, handshake failures, GOAWAYs). */
  readonly edge: EdgeMetrics;
  /** Upgrade tunnel (WebSocket) metrics: open, ended, bytes. */
  readonly tunnels: TunnelMetrics;
  /** Requests refused by plugins and route limits. */
  readonly policy: PolicyMetrics;
  /** Response-cache results and stored bytes, read from the caches at scrape time. */
  readonly cache: CacheMetrics;
  /** Traffic plans (issue 19): mirrored copies, injected faults, override hits. */
  readonly traffic: TrafficMetrics;
  /** Span export (issue 18): exported, dropped by reason, queued. */
  readonly tracing: TracingMetrics;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const c = metricCatalogue;
    const handles = this.handles;
    this.requests = new Counter({
      ...config(c.requestsTotal, registry),
      collect(this: Counter<string>) {
        for (const handle of handles.values()) handle.flush(this);
      },
    });
    this.duration = new HistogramFamily(c.requestDurationSeconds, registry);
    this.upstreamErrors = new Counter(config(c.upstreamErrorsTotal, registry));
    // The gauges read plain counters at scrape time; `collect` runs with `this` bound to the
    // gauge, so the metrics object is captured here.
    const metrics = this;
    new Gauge({
      ...config(c.requestsInFlight, registry),
      collect(this: Gauge<string>) {
        this.set(metrics.inFlight);
      },
    });
    new Gauge({
      ...config(c.downstreamConnections, registry),
      collect(this: Gauge<string>) {
        this.set(metrics.connections);
      },
    });
    this.configInfo = new Gauge(config(c.configInfo, registry));
    this.edge = new EdgeMetrics(registry);
    this.tunnels = new TunnelMetrics(registry);
    this.policy = new PolicyMetrics(registry);
    this.cache = new CacheMetrics(registry);
    this.traffic = new TrafficMetrics(registry);
    this.tracing = new TracingMetrics(registry);
    this.resilienceCounters = {
      retries: new Counter(config(c.upstreamRetriesTotal, registry)),
      denied: new Counter(config(c.upstreamRetriesDeniedTotal, registry)),
      ejections: new Counter(config(c.outlierEjectionsTotal, registry)),
      opens: new Counter(config(c.circuitBreakerOpensTotal, registry)),
    };
    const resilience = this.resilience;
    new Gauge({
      ...config(c.circuitBreakerState, registry),
      collect(this: Gauge<string>) {
        this.reset();
        for (const handle of resilience.values()) {
          if (handle.breakerStateValue >= 0) this.set({ upstream: handle.upstream }, handle.breakerStateValue);
        }
      },
    });
  }

  /**
   * The resilience metrics of one upstream (retries, breaker, ejections); call at assemble time.
   * The same upstream name returns the same handle, so counts and the breaker state continue
   * across config versions.
   */
  upstreamResilience(upstream: string): UpstreamResilienceMetrics {
    let handle = this.resilience.get(upstream);
    if (handle === undefined) {
      handle = new UpstreamResilienceMetrics(upstream, this.resilienceCounters);
      this.resilience.set(upstream, handle);
    }
    return handle;
  }

  /**
   * The handle for one route x upstream pair of one rollout arm; call at assemble time, once per
   * pair, and keep it in the compiled route. Asking again for the same labels (the next config
   * version) returns the same handle, so counts continue. Each call takes a reference; a runtime
   * gives its references back with `releaseLabels` when it retires, and a label set nobody holds
   * any more (a removed route) is forgotten, series and memory (issue 15: a 100,000-route config
   * must not keep its memory after the next apply).
   *
   * @param route route name, `""` for requests no route matched
   * @param upstream upstream name, `""` for direct responses and unrouted requests
   * @param arm `stable` (default), or `candidate` for the runtime a rollout is testing
   */
  requestLabels(route: string, upstream: string, arm: RolloutArm = 'stable'): RequestMetricHandle {
    const key = route + '\u0000' + upstream + '\u0000' + arm;
    let handle = this.handles.get(key);
    if (handle === undefined) {
      handle = new RequestMetricHandle(route, upstream, arm, this.duration.child([route, upstream, arm]));
      this.handles.set(key, handle);
    }
    handle.refs++;
    return handle;
  }

  /**
   * Gives back one reference `requestLabels` took. At the last one the label set's series are
   * removed from the registry (the route is gone from every runtime; Prometheus ends its series)
   * and the handle is dropped. Releasing a handle no longer held does nothing.
   */
  releaseLabels(handle: RequestMetricHandle): void {
    if (handle.refs <= 0) return;
    handle.refs--;
    if (handle.refs !== 0) return;
    const key = handle.route + '\u0000' + handle.upstream + '\u0000' + handle.arm;
    if (this.handles.get(key) !== handle) return;
    this.handles.delete(key);
    handle.removeFrom(this.requests);
    this.duration.remove([handle.route, handle.upstream, handle.arm]);
  }

  /** Label sets currently held by some runtime (for tests and diagnostics). */
  get heldLabelSets(): number {
    return this.handles.size;
  }

  /** Count one failed upstream attempt. `code` is the WEIR_ERR_* code of the failure. */
  upstreamError(upstream: string, code: string): void {
    this.upstreamErrors.inc({ upstream, code });
  }

  /** A request started (pair with exactly one `inFlightDec`). */
  inFlightInc(): void {
    this.inFlight++;
  }

  /** A request finished. */
  inFlightDec(): void {
    this.inFlight--;
  }

  /** A client connection opened on a proxy listener (pair with `connectionClosed`). */
  connectionOpened(): void {
    this.connections++;
  }

  /** A client connection closed. */
  connectionClosed(): void {
    this.connections--;
  }

  /** Set `weir_config_info{version}` to 1 for the version now served, and drop the previous one. */
  setConfigVersion(version: string): void {
    this.configInfo.reset();
    this.configInfo.set({ version }, 1);
  }
}

/**
 * Create a worker's metrics. Pass the registry to share (for example with default process
 * metrics); default: a new Registry. Registering twice in one registry throws (prom-client
 * rejects duplicate names), so create one per process.
 */
export function createDataplaneMetrics(registry?: Registry): DataplaneMetrics {
  return new DataplaneMetrics(registry);
}
