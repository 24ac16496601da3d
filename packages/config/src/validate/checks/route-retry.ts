import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * A route's `retry` policy must be coherent:
 *
 * - only forwarding routes retry: `retry` on a route whose only action is `directResponse` is
 *   rejected (a route with several actions is already reported by the action check);
 * - `"retriable-status"` in `retryOn` and a non-empty `retriableStatuses` go together: either one
 *   alone is a policy that silently does nothing, which is what an operator least expects;
 * - `backoff.maxMs` is at least `backoff.baseMs` (defaults included), reported at the field that
 *   was written (the max when both are).
 */
export function checkRouteRetry(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const retry = route.retry;
    if (retry === undefined) continue;
    if (route.directResponse !== undefined && route.upstream === undefined && route.split === undefined) {
      report(jsonPointer('routes', i, 'retry'), 'a direct-response route has no upstream to retry: remove "retry"');
      continue;
    }
    const wantsStatus = (retry.retryOn ?? []).includes('retriable-status');
    const statuses = retry.retriableStatuses ?? [];
    if (wantsStatus && statuses.length === 0) {
      report(jsonPointer('routes', i, 'retry', 'retriableStatuses'), '"retryOn" holds "retriable-status": list the statuses to retry');
    } else if (!wantsStatus && statuses.length > 0) {
      report(jsonPointer('routes', i, 'retry', 'retryOn'), '"retriableStatuses" is set: add "retriable-status" to "retryOn", or remove the statuses');
    }
    const backoff = retry.backoff;
    if (backoff === undefined) continue;
    const base = backoff.baseMs ?? configDefaults.backoffBaseMs;
    const max = backoff.maxMs ?? configDefaults.backoffMaxMs;
    if (max >= base) continue;
    const field = backoff.maxMs !== undefined ? 'maxMs' : 'baseMs';
    report(jsonPointer('routes', i, 'retry', 'backoff', field), `backoff maxMs (${max}) must be at least baseMs (${base})`);
  }
}
