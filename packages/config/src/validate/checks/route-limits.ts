import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * A route's rate limits hold together:
 *
 * - names are unique within the route, default names (`<route>-<index>`) included, since the
 *   name labels metrics and `RateLimit-Policy` entries. Reported at the later limit's `name`
 *   (or at the limit itself when its name is the default);
 * - a `key` with `kind` `"header"` or `"claim"` has a `name` (the schema says so), and the other
 *   kinds have none (it would be silently ignored);
 * - a `claim` key needs a `jwt` plugin on the same route: without one no claim is ever
 *   validated, and every request would share the empty key's bucket.
 *
 * `scope: "global"` without `globalLimits` is checked in global-limits.ts.
 */
export function checkRouteLimits(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const rate = route.limits?.rate ?? [];
    if (rate.length === 0) continue;
    const hasJwt = (route.plugins ?? []).some((plugin) => plugin.type === 'jwt');
    const names = new Map<string, number>();
    for (const [j, limit] of rate.entries()) {
      const at = ['routes', i, 'limits', 'rate', j] as const;
      const name = limit.name ?? `${route.name}-${j}`;
      const first = names.get(name);
      if (first === undefined) names.set(name, j);
      else {
        const where = limit.name === undefined ? jsonPointer(...at) : jsonPointer(...at, 'name');
        const how = limit.name === undefined ? ' (its default name)' : '';
        report(where, `duplicate rate limit name "${name}"${how} in route "${route.name}" (first used at ${jsonPointer('routes', i, 'limits', 'rate', first)})`);
      }
      const key = limit.key;
      if (key === undefined) continue;
      if ((key.kind === 'clientAddress' || key.kind === 'route') && (key as { readonly name?: string }).name !== undefined) {
        report(jsonPointer(...at, 'key', 'name'), `a "${key.kind}" key has no name: remove "name" or use kind "header" or "claim"`);
      }
      if (key.kind === 'claim' && !hasJwt) {
        report(jsonPointer(...at, 'key'), `a "claim" key needs a "jwt" plugin on route "${route.name}" to validate the token it reads`);
      }
    }
  }
}
