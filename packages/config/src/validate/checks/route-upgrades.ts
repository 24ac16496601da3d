import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Only forwarding routes proxy upgrades: `upgrades` on a route whose only action is
 * `directResponse` is rejected, like `retry` there (a route with several actions is already
 * reported by the action check).
 */
export function checkRouteUpgrades(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    if (route.upgrades === undefined) continue;
    if (route.directResponse !== undefined && route.upstream === undefined && route.split === undefined) {
      report(jsonPointer('routes', i, 'upgrades'), 'a direct-response route has no upstream to tunnel to: remove "upgrades"');
    }
  }
}
