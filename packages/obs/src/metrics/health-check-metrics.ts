import { Counter, Gauge, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';

/** The health-check series of one endpoint, label children resolved once (STYLE.md rule 8). */
export interface EndpointHealthMetrics {
  /** One check completed. */
  checked(success: boolean): void;
  /** The endpoint's judged health (the gauge's value). */
  healthy(value: boolean): void;
  /** The endpoint is no longer checked: its series disappear. */
  remove(): void;
}

/**
 * The primary's active health-check metrics (`weir_upstream_endpoint_healthy`,
 * `weir_health_checks_total`), registered on the control plane's registry. The checker asks for
 * one `EndpointHealthMetrics` per checked endpoint when it starts checking it and removes it when
 * the endpoint leaves the config, so series never outlive their endpoint.
 */
export class HealthCheckMetrics {
  private readonly healthyGauge: Gauge<string>;
  private readonly checks: Counter<string>;

  constructor(registry: Registry) {
    const c = metricCatalogue;
    this.healthyGauge = new Gauge({
      name: c.endpointHealthy.name,
      help: c.endpointHealthy.help,
      labelNames: c.endpointHealthy.labels.slice(),
      registers: [registry],
    });
    this.checks = new Counter({
      name: c.healthChecksTotal.name,
      help: c.healthChecksTotal.help,
      labelNames: c.healthChecksTotal.labels.slice(),
      registers: [registry],
    });
  }

  /** The series of one endpoint (`endpoint` is its address as configured). */
  endpoint(upstream: string, endpoint: string): EndpointHealthMetrics {
    const gauge = this.healthyGauge;
    const checks = this.checks;
    const success = checks.labels({ upstream, endpoint, result: 'success' });
    const failure = checks.labels({ upstream, endpoint, result: 'failure' });
    const health = gauge.labels({ upstream, endpoint });
    return {
      checked: (ok: boolean) => (ok ? success : failure).inc(),
      healthy: (value: boolean) => health.set(value ? 1 : 0),
      remove: () => {
        gauge.remove({ upstream, endpoint });
        checks.remove({ upstream, endpoint, result: 'success' });
        checks.remove({ upstream, endpoint, result: 'failure' });
      },
    };
  }
}
