import { Counter, Gauge, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as options } from './metric-options';

/** A certificate as the expiry gauge sees it. */
export interface CertificateExpiry {
  readonly name: string;
  /** notAfter, milliseconds since the epoch. */
  readonly notAfter: number;
}

/**
 * The TLS and HTTP/2 metrics of a worker (issue 8): certificate expiry (computed at scrape time
 * from the committed spec's notAfter values), failed handshakes, GOAWAYs sent for abuse.
 */
export class EdgeMetrics {
  private certificates: readonly CertificateExpiry[] = [];
  private readonly handshakeErrors: Counter<string>;
  private readonly goaways: Counter<string>;

  constructor(registry: Registry, now: () => number = Date.now) {
    const c = metricCatalogue;
    const edge = this;
    new Gauge({
      ...options(c.tlsCertificateExpirySeconds, registry),
      collect(this: Gauge<string>) {
        this.reset();
        const t = now();
        for (const cert of edge.certificates) this.set({ certificate: cert.name }, Math.round((cert.notAfter - t) / 1000));
      },
    });
    this.handshakeErrors = new Counter(options(c.tlsHandshakeErrorsTotal, registry));
    this.goaways = new Counter(options(c.http2GoawaysTotal, registry));
  }

  /** The certificates of the committed spec (replaces the previous list). */
  setCertificates(certificates: readonly CertificateExpiry[]): void {
    this.certificates = certificates;
  }

  tlsHandshakeFailed(): void {
    this.handshakeErrors.inc();
  }

  http2Goaway(reason: string): void {
    this.goaways.inc({ reason });
  }
}

