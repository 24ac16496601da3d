import type { EndpointHealth } from '@weir/cluster/primary';
import type { EndpointHealthMetrics, HealthCheckMetrics, Logger } from '@weir/obs';
import type { EndpointSpec, HealthCheckSpec, Spec, UpstreamSpec, UpstreamTlsSpec } from '@weir/runtime';
import { healthCheckKey } from './health-check-key';
import { HealthState } from './health-state';
import { realHealthTimers, type HealthTimers } from './health-timers';
import { httpProbe, type Probe, type ProbeResult } from './http-probe';

/** Where results go: the fleet, which forwards them to every worker (`Fleet.publishHealth`). */
export interface HealthPublisher {
  publishHealth(updates: readonly EndpointHealth[], replace?: boolean): void;
}

/** One completed check, for observers (tests wait on these instead of sleeping). */
export interface HealthCheckEvent {
  readonly upstream: string;
  readonly address: string;
  readonly success: boolean;
  readonly result: ProbeResult;
  /** Health after this result. */
  readonly healthy: boolean;
  readonly changed: boolean;
}

/** Options of {@link HealthChecker}. */
export interface HealthCheckerOptions {
  readonly publisher: HealthPublisher;
  /** Logs health transitions (`endpoint health changed`). */
  readonly logger: Logger;
  /** Default: Node's timers, unref'd. */
  readonly timers?: HealthTimers;
  /** Jitter source, `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
  /** Default: {@link httpProbe}. */
  readonly probe?: Probe;
  /** Default: no metrics. */
  readonly metrics?: HealthCheckMetrics;
  /** Called after every completed check. */
  readonly onCheck?: (event: HealthCheckEvent) => void;
}

/** One checked endpoint. Mutable, owned by the checker. */
class CheckTarget {
  settings: HealthCheckSpec;
  /** The upstream's TLS settings (part of the key, so a kept target's are equal). */
  tls: UpstreamTlsSpec | null;
  timer: unknown = null;
  running = false;
  closed = false;

  constructor(
    readonly key: string,
    readonly upstream: string,
    readonly endpoint: EndpointSpec,
    settings: HealthCheckSpec,
    tls: UpstreamTlsSpec | null,
    readonly state: HealthState,
    readonly metrics: EndpointHealthMetrics | null,
  ) {
    this.settings = settings;
    this.tls = tls;
  }
}

/**
 * Active HTTP(S) health checks, run once per host in the primary (issue 4: probe traffic must not
 * grow with the worker count); results go to the workers through the fleet.
 *
 * ```
 *   reconcile(spec)  every endpoint of every upstream with a healthCheck, keyed by healthCheckKey:
 *                      kept key    -> same HealthState, new thresholds and interval
 *                      new key     -> initialState; first check after 0..jitterMs
 *                      gone key    -> timer cleared, metrics series removed
 *                    https upstreams (`tls`) are probed over TLS with their CA, SNI, client cert
 *                    then the whole table is published (replace)
 *   check loop       probe (timeoutMs) -> HealthState.record -> publish on change
 *                    -> next check after intervalMs + 0..jitterMs (one probe in flight per endpoint)
 * ```
 */
export class HealthChecker {
  private readonly publisher: HealthPublisher;
  private readonly logger: Logger;
  private readonly timers: HealthTimers;
  private readonly random: () => number;
  private readonly probe: Probe;
  private readonly metrics: HealthCheckMetrics | null;
  private readonly onCheck: ((event: HealthCheckEvent) => void) | null;
  private targets = new Map<string, CheckTarget>();
  private closed = false;

  constructor(options: HealthCheckerOptions) {
    this.publisher = options.publisher;
    this.logger = options.logger;
    this.timers = options.timers ?? realHealthTimers;
    this.random = options.random ?? Math.random;
    this.probe = options.probe ?? httpProbe;
    this.metrics = options.metrics ?? null;
    this.onCheck = options.onCheck ?? null;
  }

  /** Number of endpoints being checked. */
  get size(): number {
    return this.targets.size;
  }

  /**
   * Aligns the checked endpoints with a committed spec and publishes the whole table. Call it
   * after every apply (and once at start-up); an unchanged spec changes nothing but the publish.
   */
  reconcile(spec: Spec): void {
    if (this.closed) return;
    const next = new Map<string, CheckTarget>();
    for (let u = 0; u < spec.upstreams.length; u++) {
      const upstream = spec.upstreams[u] as UpstreamSpec;
      const settings = upstream.healthCheck;
      if (settings === null) continue;
      for (let e = 0; e < upstream.endpoints.length; e++) {
        const endpoint = upstream.endpoints[e] as EndpointSpec;
        const key = healthCheckKey(upstream, endpoint);
        const kept = this.targets.get(key);
        if (kept !== undefined) {
          kept.settings = settings;
          kept.tls = upstream.tls;
          next.set(key, kept);
          continue;
        }
        const state = new HealthState(settings.initialState === 'healthy');
        const metrics = this.metrics === null ? null : this.metrics.endpoint(upstream.name, endpoint.address);
        metrics?.healthy(state.healthy);
        const target = new CheckTarget(key, upstream.name, endpoint, settings, upstream.tls, state, metrics);
        next.set(key, target);
        this.schedule(target, this.jitter(settings));
      }
    }
    for (const [key, target] of this.targets) {
      if (!next.has(key)) this.stop(target);
    }
    this.targets = next;
    this.publisher.publishHealth(this.table(), true);
  }

  /** Every checked endpoint's current health. */
  table(): EndpointHealth[] {
    const out: EndpointHealth[] = [];
    for (const target of this.targets.values()) {
      out.push({ upstream: target.upstream, address: target.endpoint.address, healthy: target.state.healthy });
    }
    return out;
  }

  /** Stops every check (shutdown). Checks in flight finish, and their results are dropped. */
  close(): void {
    this.closed = true;
    for (const target of this.targets.values()) this.stop(target);
    this.targets.clear();
  }

  private jitter(settings: HealthCheckSpec): number {
    return settings.jitterMs === 0 ? 0 : Math.floor(this.random() * (settings.jitterMs + 1));
  }

  private schedule(target: CheckTarget, delayMs: number): void {
    target.timer = this.timers.setTimeout(() => {
      target.timer = null;
      void this.run(target);
    }, delayMs);
  }

  private stop(target: CheckTarget): void {
    target.closed = true;
    if (target.timer !== null) this.timers.clearTimeout(target.timer);
    target.timer = null;
    target.metrics?.remove();
  }

  private async run(target: CheckTarget): Promise<void> {
    if (target.closed || target.running) return;
    target.running = true;
    const s = target.settings;
    const e = target.endpoint;
    const result = await this.probe(
      { host: e.host, port: e.port, hostHeader: e.address, path: s.path, timeoutMs: s.timeoutMs, tls: target.tls },
      this.timers,
    );
    target.running = false;
    if (target.closed) return;
    const success = result.error === null && inRanges(result.status, s.expectedStatuses);
    const changed = target.state.record(success, s.healthyThreshold, s.unhealthyThreshold);
    const healthy = target.state.healthy;
    if (target.metrics !== null) {
      target.metrics.checked(success);
      if (changed) target.metrics.healthy(healthy);
    }
    if (changed) {
      const fields = { upstream: target.upstream, endpoint: e.address, healthy, status: result.status, error: result.error };
      if (healthy) this.logger.info(fields, 'endpoint health changed');
      else this.logger.warn(fields, 'endpoint health changed');
      this.publisher.publishHealth([{ upstream: target.upstream, address: e.address, healthy }]);
    }
    this.onCheck?.({ upstream: target.upstream, address: e.address, success, result, healthy, changed });
    this.schedule(target, s.intervalMs + this.jitter(s));
  }
}

function inRanges(status: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i] as readonly [number, number];
    if (status >= r[0] && status <= r[1]) return true;
  }
  return false;
}
