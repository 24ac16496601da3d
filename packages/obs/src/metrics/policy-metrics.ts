import { Counter, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as config } from './metric-options';

/**
 * Requests refused by a route's plugins or limits (issue 9), by route and WEIR_ERR_* code:
 * `weir_policy_rejections_total`. Counted on the refusal path only, so admitted requests pay
 * nothing; both labels are bounded (config names, catalogue codes).
 */
export class PolicyMetrics {
  private readonly rejections: Counter<string>;

  constructor(registry: Registry) {
    this.rejections = new Counter(config(metricCatalogue.policyRejectionsTotal, registry));
  }

  rejected(route: string, code: string): void {
    this.rejections.inc({ route, code });
  }
}
