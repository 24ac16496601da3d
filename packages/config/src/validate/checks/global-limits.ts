import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { parseHostPort } from './host-port';
import type { Report } from './semantic-check';

/**
 * `globalLimits.redis` parses as `host:port` like an endpoint address (the schema only checks
 * its characters), and `globalLimits` is there whenever a rate limit has `scope: "global"`
 * (reported at each such `scope`, since that is the line an operator added).
 */
export function checkGlobalLimits(config: WeirConfig, report: Report): void {
  const redis = config.globalLimits?.redis;
  if (redis !== undefined) {
    const parsed = parseHostPort(redis);
    if (!parsed.ok) report(jsonPointer('globalLimits', 'redis'), `invalid Redis address "${redis}": ${parsed.reason}`);
  }
  if (config.globalLimits !== undefined) return;
  for (const [i, route] of config.routes.entries()) {
    const rate = route.limits?.rate ?? [];
    for (const [j, limit] of rate.entries()) {
      if (limit.scope === 'global') {
        report(jsonPointer('routes', i, 'limits', 'rate', j, 'scope'), 'a "global" rate limit needs the top-level "globalLimits" section (its Redis server)');
      }
    }
  }
}
