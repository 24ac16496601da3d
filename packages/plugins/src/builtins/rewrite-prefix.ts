import { CONTINUE, type Plugin, type PluginOutcome, type PluginRequest } from '../plugin';

/**
 * `rewrite` with `stripPrefix` (`to` = '') or `replacePrefix`: replaces the prefix `from` of the
 * path with `to`, keeping the rest and the query.
 *
 * The prefix matches at a segment boundary, as a route's `match.path.prefix` does (config.md):
 * `/api` rewrites `/api`, `/api/x` and `/api?q`, not `/apix`; `/api/` rewrites only paths below
 * it (`/api/x`, not `/api`). Joining never doubles or drops the `/` between `to` and the rest,
 * and a path that would become empty is `/`:
 *
 * ```
 *   stripPrefix "/api":              /api/x?q=1 -> /x?q=1    /api -> /    /api?q -> /?q
 *   stripPrefix "/api/":             /api/x     -> /x        /api -> (unchanged)
 *   replacePrefix "/api" -> "/v2":   /api/x     -> /v2/x     /api -> /v2
 *   replacePrefix "/api" -> "/":     /api/x     -> /x
 *   replacePrefix "/" -> "/v2":      /x         -> /v2/x     /    -> /v2/
 * ```
 */
export class RewritePrefixPlugin implements Plugin {
  readonly type = 'rewrite';
  private readonly from: string;
  /** `from` ends with `/`: it matches only below it, and the rest keeps that `/`. */
  private readonly fromIsDirectory: boolean;
  private readonly to: string;
  private readonly toEndsWithSlash: boolean;

  constructor(from: string, to: string) {
    this.from = from;
    this.fromIsDirectory = from.endsWith('/');
    this.to = to;
    this.toEndsWithSlash = to.endsWith('/');
  }

  onRequest(req: PluginRequest): PluginOutcome {
    const path = req.path;
    const from = this.from;
    if (!path.startsWith(from)) return CONTINUE;
    let rest: string;
    if (this.fromIsDirectory) {
      rest = path.slice(from.length - 1);
    } else {
      if (path.length > from.length) {
        const next = path.charCodeAt(from.length);
        if (next !== 0x2f /* / */ && next !== 0x3f /* ? */) return CONTINUE;
      }
      rest = path.slice(from.length);
    }
    let result = this.toEndsWithSlash && rest.charCodeAt(0) === 0x2f ? this.to + rest.slice(1) : this.to + rest;
    if (result.charCodeAt(0) !== 0x2f) result = `/${result}`;
    req.path = result;
    return CONTINUE;
  }
}
