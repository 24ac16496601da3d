import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Headers a direct response may not set: the hop-by-hop ones (RFC 9110 section 7.6.1; they
 * describe one connection, which Weir manages) and `content-length`, which Weir computes from
 * the body so the two cannot disagree.
 */
const FORBIDDEN_HEADERS: ReadonlyMap<string, string> = new Map([
  ['connection', 'hop-by-hop'],
  ['keep-alive', 'hop-by-hop'],
  ['proxy-connection', 'hop-by-hop'],
  ['te', 'hop-by-hop'],
  ['trailer', 'hop-by-hop'],
  ['transfer-encoding', 'hop-by-hop'],
  ['upgrade', 'hop-by-hop'],
  ['content-length', 'computed from the body'],
]);

/** Statuses whose responses have no content (RFC 9110 sections 15.3.5 and 15.4.5). */
const NO_BODY_STATUSES: ReadonlySet<number> = new Set([204, 304]);

/**
 * A direct response: no forbidden header, no header set twice under different letter case,
 * and no body on a 204 or 304. (Header names being tokens and values free of CR/LF/NUL is the
 * schema's part.)
 */
export function checkDirectResponse(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const response = route.directResponse;
    if (response === undefined) continue;
    if (NO_BODY_STATUSES.has(response.status) && response.body !== undefined && response.body !== '') {
      report(jsonPointer('routes', i, 'directResponse', 'body'), `a ${response.status} response has no body; remove "body" or change "status"`);
    }
    const seen = new Map<string, string>();
    for (const name of Object.keys(response.headers ?? {})) {
      const at = jsonPointer('routes', i, 'directResponse', 'headers', name);
      const lower = name.toLowerCase();
      const why = FORBIDDEN_HEADERS.get(lower);
      if (why !== undefined) {
        report(at, `header "${name}" cannot be set on a direct response (${why})`);
        continue;
      }
      const first = seen.get(lower);
      if (first === undefined) seen.set(lower, name);
      else report(at, `header "${name}" is already set as "${first}" (header names are case-insensitive)`);
    }
  }
}
