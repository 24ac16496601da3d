import { closestName } from '../closest-name';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * "Did you mean" hints for the first few unknown names only: each hint compares the name with
 * every known one, and a config generated with thousands of broken references must still
 * validate quickly.
 */
const MAX_HINTS = 20;

/**
 * What a route refers to exists: its `upstream`, each `split[].upstream`, its
 * `traffic.mirror.upstream` (any upstream of the config) and each of its `listeners`. A split
 * names each upstream at most once (two entries for one upstream are one entry with the summed
 * weight, written confusingly).
 */
export function checkRouteReferences(config: WeirConfig, report: Report): void {
  const upstreams = new Set((config.upstreams ?? []).map((u) => u.name));
  const listeners = new Set(config.listeners.map((l) => l.name));
  let hintsLeft = MAX_HINTS;
  const unknown = (noun: string, name: string, known: ReadonlySet<string>): string => {
    const suggestion = hintsLeft-- > 0 ? closestName(name, known) : undefined;
    return `unknown ${noun} "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`;
  };
  for (const [i, route] of config.routes.entries()) {
    if (route.upstream !== undefined && !upstreams.has(route.upstream)) {
      report(jsonPointer('routes', i, 'upstream'), unknown('upstream', route.upstream, upstreams));
    }
    const split = route.split ?? [];
    const firstIndex = new Map<string, number>();
    for (const [j, { upstream: name }] of split.entries()) {
      const at = jsonPointer('routes', i, 'split', j, 'upstream');
      if (!upstreams.has(name)) report(at, unknown('upstream', name, upstreams));
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, j);
      else report(at, `upstream "${name}" is already in this split at ${jsonPointer('routes', i, 'split', first)}; use one entry per upstream`);
    }
    const mirror = route.traffic?.mirror;
    if (mirror !== undefined && !upstreams.has(mirror.upstream)) {
      report(jsonPointer('routes', i, 'traffic', 'mirror', 'upstream'), unknown('upstream', mirror.upstream, upstreams));
    }
    const routeListeners = route.listeners ?? [];
    for (const [j, name] of routeListeners.entries()) {
      if (!listeners.has(name)) report(jsonPointer('routes', i, 'listeners', j), unknown('listener', name, listeners));
    }
  }
}
