import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

const KINDS = ['exact', 'prefix', 'regex'] as const;

/**
 * A header condition has at most one of `exact`, `prefix`, `regex` (none means "present"),
 * and `absent: true` has none of them (a value condition on a header that must be missing can
 * never hold).
 */
export function checkHeaderMatch(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const headers = route.match?.headers ?? [];
    for (const [j, header] of headers.entries()) {
      const at = jsonPointer('routes', i, 'match', 'headers', j);
      const present = KINDS.filter((kind) => header[kind] !== undefined);
      const quoted = present.map((k) => `"${k}"`).join(' and ');
      if (header.absent === true && present.length > 0) {
        report(at, `"absent": true cannot be combined with ${quoted}`);
      } else if (present.length > 1) {
        report(at, `${quoted} are exclusive: set at most one`);
      }
    }
  }
}
