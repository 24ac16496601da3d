import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

const KINDS = ['exact', 'prefix', 'regex'] as const;

/** A `match.path` object has exactly one of `exact`, `prefix`, `regex` (omit `path` to match any). */
export function checkPathMatch(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const path = route.match?.path;
    if (path === undefined) continue;
    const present = KINDS.filter((kind) => path[kind] !== undefined);
    if (present.length === 0) {
      report(jsonPointer('routes', i, 'match', 'path'), 'set one of "exact", "prefix" or "regex" (omit "path" to match any path)');
    } else if (present.length > 1) {
      report(jsonPointer('routes', i, 'match', 'path'), `${present.map((k) => `"${k}"`).join(' and ')} are exclusive: set exactly one`);
    }
  }
}
