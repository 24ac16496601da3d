import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Every `match.path.regex` and `match.headers[].regex` compiles as an ECMAScript regular
 * expression without flags, on its own: the router anchors it as `^(?:regex)$`, and compiling
 * the bare source first keeps a pattern such as `a)|(b` from escaping that group. The schema
 * caps the length at 1024 characters; catastrophic backtracking cannot be detected cheaply, so
 * that cap and review are the guard.
 */
export function checkRouteRegexes(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const match = route.match;
    if (match === undefined) continue;
    if (match.path?.regex !== undefined) checkRegex(match.path.regex, jsonPointer('routes', i, 'match', 'path', 'regex'), report);
    const headers = match.headers ?? [];
    for (let j = 0; j < headers.length; j++) {
      const regex = headers[j]?.regex;
      if (regex !== undefined) checkRegex(regex, jsonPointer('routes', i, 'match', 'headers', j, 'regex'), report);
    }
  }
}

function checkRegex(source: string, at: string, report: Report): void {
  try {
    new RegExp(source);
  } catch (err) {
    report(at, `invalid regular expression: ${(err as Error).message}`);
  }
}
