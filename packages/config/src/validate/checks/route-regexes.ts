import { checkRegex } from '@weir/regex';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * Every `match.path.regex` and `match.headers[].regex` compiles with the one regex engine the
 * data plane matches with (`@weir/regex`: RE2 syntax, linear time), within
 * `server.regexMaxProgramSize` instructions. Backreferences and lookaround, which need a
 * backtracking engine, are rejected here with a message saying so: a regex from the config
 * must never let a client pin a worker (issue 14).
 */
export function checkRouteRegexes(config: WeirConfig, report: Report): void {
  const limit = config.server?.regexMaxProgramSize ?? configDefaults.regexMaxProgramSize;
  for (const [i, route] of config.routes.entries()) {
    const match = route.match;
    if (match === undefined) continue;
    if (match.path?.regex !== undefined) check(match.path.regex, limit, jsonPointer('routes', i, 'match', 'path', 'regex'), report);
    const headers = match.headers ?? [];
    for (let j = 0; j < headers.length; j++) {
      const regex = headers[j]?.regex;
      if (regex !== undefined) check(regex, limit, jsonPointer('routes', i, 'match', 'headers', j, 'regex'), report);
    }
  }
}

function check(source: string, limit: number, at: string, report: Report): void {
  const problem = checkRegex(source, limit);
  if (problem !== null) report(at, `invalid regular expression: ${problem}`);
}
