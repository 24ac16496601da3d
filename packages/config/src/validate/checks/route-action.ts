import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

const ACTIONS = ['upstream', 'split', 'directResponse'] as const;

/**
 * Every route has exactly one action: `upstream`, `split` or `directResponse`. Reported at the
 * route itself, naming the actions found (a plain sentence instead of a `oneOf` dump).
 */
export function checkRouteAction(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const present = ACTIONS.filter((action) => route[action] !== undefined);
    if (present.length === 0) {
      report(jsonPointer('routes', i), 'route has no action: set exactly one of "upstream", "split" or "directResponse"');
    } else if (present.length > 1) {
      report(jsonPointer('routes', i), `route has ${present.map((a) => `"${a}"`).join(' and ')}: set exactly one action`);
    }
  }
}
