import { Counter, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as config } from './metric-options';

/** How a mirrored copy ended: the `outcome` label of `weir_mirror_requests_total`. */
export type MirrorOutcome = 'ok' | 'error' | 'dropped' | 'skipped';

/** The fault a request got: the `kind` label of `weir_fault_injections_total`. */
export type FaultKind = 'delay' | 'abort';

const MIRROR_OUTCOMES: readonly MirrorOutcome[] = ['ok', 'error', 'dropped', 'skipped'];
const FAULT_KINDS: readonly FaultKind[] = ['delay', 'abort'];

/**
 * The traffic-plan counts of one route as plain numbers (STYLE.md rule 8): recording is an
 * addition, prom-client receives the difference at scrape time. Indexes follow
 * `MIRROR_OUTCOMES` and `FAULT_KINDS`.
 */
class TrafficRouteCounts {
  readonly mirror = new Float64Array(4);
  readonly fault = new Float64Array(2);
  overrides = 0;
  private readonly flushedMirror = new Float64Array(4);
  private readonly flushedFault = new Float64Array(2);
  private flushedOverrides = 0;

  constructor(readonly route: string) {}

  flushMirror(counter: Counter<string>): void {
    for (let i = 0; i < 4; i++) {
      const d = (this.mirror[i] as number) - (this.flushedMirror[i] as number);
      if (d > 0) {
        counter.inc({ route: this.route, outcome: MIRROR_OUTCOMES[i] as string }, d);
        this.flushedMirror[i] = this.mirror[i] as number;
      }
    }
  }

  flushFault(counter: Counter<string>): void {
    for (let i = 0; i < 2; i++) {
      const d = (this.fault[i] as number) - (this.flushedFault[i] as number);
      if (d > 0) {
        counter.inc({ route: this.route, kind: FAULT_KINDS[i] as string }, d);
        this.flushedFault[i] = this.fault[i] as number;
      }
    }
  }

  flushOverrides(counter: Counter<string>): void {
    const d = this.overrides - this.flushedOverrides;
    if (d > 0) {
      counter.inc({ route: this.route }, d);
      this.flushedOverrides = this.overrides;
    }
  }
}

/**
 * Traffic-plan metrics of one worker (issue 19): `weir_mirror_requests_total{route, outcome}`,
 * `weir_fault_injections_total{route, kind}` and `weir_traffic_overrides_total{route}`.
 *
 * The recording methods are bound in the constructor, so the data plane can hold this object
 * (or a method) behind its own narrow interface (`{ mirrored(route, outcome) }`) without
 * importing prom-client. A call is one Map lookup by the route's name and an addition; nothing
 * is allocated after a route's first call. Routes are config names, so the series are bounded;
 * their counts are kept for the worker's life (counters must not go backwards across reloads).
 */
export class TrafficMetrics {
  private readonly routes = new Map<string, TrafficRouteCounts>();

  /** Registers the three counters in `registry`; `DataplaneMetrics` makes the worker's one. */
  constructor(registry: Registry) {
    const c = metricCatalogue;
    const routes = this.routes;
    new Counter({
      ...config(c.mirrorRequestsTotal, registry),
      collect(this: Counter<string>) {
        for (const counts of routes.values()) counts.flushMirror(this);
      },
    });
    new Counter({
      ...config(c.faultInjectionsTotal, registry),
      collect(this: Counter<string>) {
        for (const counts of routes.values()) counts.flushFault(this);
      },
    });
    new Counter({
      ...config(c.trafficOverridesTotal, registry),
      collect(this: Counter<string>) {
        for (const counts of routes.values()) counts.flushOverrides(this);
      },
    });
    this.mirrored = this.mirrored.bind(this);
    this.faultInjected = this.faultInjected.bind(this);
    this.overridden = this.overridden.bind(this);
  }

  /** One mirrored copy of `route` ended with `outcome` (or was dropped or skipped). */
  mirrored(route: string, outcome: MirrorOutcome): void {
    const i = outcome === 'ok' ? 0 : outcome === 'error' ? 1 : outcome === 'dropped' ? 2 : 3;
    const counts = this.counts(route);
    counts.mirror[i] = (counts.mirror[i] as number) + 1;
  }

  /** One request of `route` was delayed or aborted by its `traffic.fault`. */
  faultInjected(route: string, kind: FaultKind): void {
    const counts = this.counts(route);
    const i = kind === 'delay' ? 0 : 1;
    counts.fault[i] = (counts.fault[i] as number) + 1;
  }

  /** One request of `route` went where a `traffic.overrides` entry sent it. */
  overridden(route: string): void {
    this.counts(route).overrides++;
  }

  private counts(route: string): TrafficRouteCounts {
    let counts = this.routes.get(route);
    if (counts === undefined) {
      counts = new TrafficRouteCounts(route);
      this.routes.set(route, counts);
    }
    return counts;
  }
}
