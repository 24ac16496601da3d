import type { DataplaneMetrics } from '@weir/obs';

/** One `observe` call of a request metric handle. */
export interface Observation {
  readonly route: string;
  readonly upstream: string;
  readonly status: number;
  readonly seconds: number;
}

/** Records what the data plane reports, shaped like `DataplaneMetrics`. */
export class FakeMetrics {
  readonly observations: Observation[] = [];
  readonly upstreamErrors: { upstream: string; code: string }[] = [];
  readonly handles: string[] = [];
  inFlight = 0;
  connections = 0;
  version: string | null = null;

  requestLabels(route: string, upstream: string): { route: string; upstream: string; observe(status: number, seconds: number): void } {
    this.handles.push(`${route}|${upstream}`);
    const observations = this.observations;
    return {
      route,
      upstream,
      observe(status: number, seconds: number): void {
        observations.push({ route, upstream, status, seconds });
      },
    };
  }

  /** Handles given back by retired runtimes, as `route|upstream`. */
  readonly released: string[] = [];

  releaseLabels(handle: { route?: string; upstream?: string }): void {
    this.released.push(`${handle.route ?? '?'}|${handle.upstream ?? '?'}`);
  }

  upstreamError(upstream: string, code: string): void {
    this.upstreamErrors.push({ upstream, code });
  }

  inFlightInc(): void {
    this.inFlight++;
  }

  inFlightDec(): void {
    this.inFlight--;
  }

  connectionOpened(): void {
    this.connections++;
  }

  connectionClosed(): void {
    this.connections--;
  }

  setConfigVersion(version: string): void {
    this.version = version;
  }

  /** Resilience events by upstream: `retry:<reason>`, `denied:<reason>`, `breaker:<state>`, `eject:<reason>`. */
  readonly resilienceEvents: { upstream: string; event: string }[] = [];

  upstreamResilience(upstream: string): {
    retry(reason: string): void;
    retryDenied(reason: string): void;
    breakerState(state: number): void;
    ejection(reason: string): void;
  } {
    const events = this.resilienceEvents;
    const push = (event: string): void => {
      events.push({ upstream, event });
    };
    return {
      retry: (reason) => push(`retry:${reason}`),
      retryDenied: (reason) => push(`denied:${reason}`),
      breakerState: (state) => push(`breaker:${state}`),
      ejection: (reason) => push(`eject:${reason}`),
    };
  }

  /** Resilience events of `upstream`, in order. */
  eventsOf(upstream: string): string[] {
    return this.resilienceEvents.filter((e) => e.upstream === upstream).map((e) => e.event);
  }

  /** Edge events: certificates of the last commit, handshake failures, GOAWAY reasons. */
  readonly edge = {
    certificates: [] as readonly { name: string; notAfter: number }[],
    handshakeFailures: 0,
    goaways: [] as string[],
    setCertificates(certificates: readonly { name: string; notAfter: number }[]): void {
      this.certificates = certificates;
    },
    tlsHandshakeFailed(): void {
      this.handshakeFailures++;
    },
    http2Goaway(reason: string): void {
      this.goaways.push(reason);
    },
  };

  /** This object typed as the real interface (structurally the same for what dataplane calls). */
  asMetrics(): DataplaneMetrics {
    return this as unknown as DataplaneMetrics;
  }
}
