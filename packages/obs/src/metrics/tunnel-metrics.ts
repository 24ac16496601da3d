import { Counter, Gauge, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as config } from './metric-options';

/** How a tunnel ended: the `outcome` label of `weir_tunnels_total`. */
export type TunnelOutcome = 'closed' | 'error' | 'idle-timeout' | 'max-lifetime' | 'drain';

/**
 * The tunnel counts of one route, resolved once per tunnel when it opens and updated per chunk
 * with plain additions (STYLE.md rule 8); prom-client reads them at scrape time.
 */
export class TunnelRouteMetrics {
  /** Tunnels of this route open now. */
  open = 0;
  /** Bytes read from clients and sent upstream, since the worker started. */
  upstreamBytes = 0;
  /** Bytes read from upstreams and sent to clients, since the worker started. */
  downstreamBytes = 0;
  private flushedUpstream = 0;
  private flushedDownstream = 0;
  private readonly outcomes = new Map<TunnelOutcome, Counter.Internal>();

  constructor(
    /** The route's name. */
    readonly route: string,
    private readonly ended: Counter<string>,
  ) {}

  /** One tunnel ended (cold path: once per tunnel). */
  closed(outcome: TunnelOutcome): void {
    this.open--;
    let child = this.outcomes.get(outcome);
    if (child === undefined) {
      child = this.ended.labels({ route: this.route, outcome });
      this.outcomes.set(outcome, child);
    }
    child.inc();
  }

  /** Pushes the bytes counted since the last scrape into the counter. */
  flush(bytes: Counter<string>): void {
    const up = this.upstreamBytes - this.flushedUpstream;
    if (up > 0) {
      bytes.inc({ route: this.route, direction: 'upstream' }, up);
      this.flushedUpstream = this.upstreamBytes;
    }
    const down = this.downstreamBytes - this.flushedDownstream;
    if (down > 0) {
      bytes.inc({ route: this.route, direction: 'downstream' }, down);
      this.flushedDownstream = this.downstreamBytes;
    }
  }
}

/**
 * The metrics of upgrade tunnels (WebSocket) in one worker: `weir_tunnels_open`,
 * `weir_tunnels_total` and `weir_tunnel_bytes_total`, labelled by route (a config name, so
 * bounded). Per-route handles are kept for the worker's life: only routes that opened a tunnel
 * get one.
 */
export class TunnelMetrics {
  private readonly routes = new Map<string, TunnelRouteMetrics>();
  private readonly ended: Counter<string>;

  /** Registers the three metrics in `registry`; `DataplaneMetrics` makes the worker's one. */
  constructor(registry: Registry) {
    const c = metricCatalogue;
    const routes = this.routes;
    new Gauge({
      ...config(c.tunnelsOpen, registry),
      collect(this: Gauge<string>) {
        for (const handle of routes.values()) this.set({ route: handle.route }, handle.open);
      },
    });
    this.ended = new Counter(config(c.tunnelsTotal, registry));
    new Counter({
      ...config(c.tunnelBytesTotal, registry),
      collect(this: Counter<string>) {
        for (const handle of routes.values()) handle.flush(this);
      },
    });
  }

  /** One tunnel of `route` opened: returns the route's handle, to count its bytes and its end. */
  opened(route: string): TunnelRouteMetrics {
    let handle = this.routes.get(route);
    if (handle === undefined) {
      handle = new TunnelRouteMetrics(route, this.ended);
      this.routes.set(route, handle);
    }
    handle.open++;
    return handle;
  }

  /** Tunnels open now across routes (for tests and diagnostics). */
  get openCount(): number {
    let n = 0;
    for (const handle of this.routes.values()) n += handle.open;
    return n;
  }
}
