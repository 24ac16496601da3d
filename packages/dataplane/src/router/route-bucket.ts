import type { IncomingHttpHeaders } from 'node:http';
import {
  firstMatch,
  PATH_EXACT,
  PATH_PREFIX_DIR,
  PATH_PREFIX_SEGMENT,
  type CompiledRoute,
} from './compiled-route';
import { NO_POSITION } from './no-position';
import { PrefixTrie } from './prefix-trie';


/**
 * The routes of one host bucket, indexed by path so a lookup only tests candidates.
 *
 * Every list holds route positions (config order) in ascending order:
 *
 * ```
 *   exact:  Map "/health" -> [3, 17]          path === value (proved by the Map lookup)
 *   prefix: PrefixTrie  api -> [0]             prefix routes on the nodes of their segments
 *                        +- v1 -> [5, 9]        ("/api" at api; "/api/v1", "/api/v1/" at api/v1)
 *   other:  [2, 12, 40]                        regex, any-path, "/" and odd prefixes: always
 *                                              candidates, tested last
 *
 *   lookup "/api/v1/users":  best = none
 *     exact.get(path)         -> no list
 *     trie walk api, api/v1   -> test 0 (no), 5 (yes): best = 5; 9 is never tested
 *     other                   -> test 2 (no); stop at 12 >= best        => route 5
 * ```
 *
 * The winner is the lowest position that fully matches. Each list is sorted, so scanning it
 * stops at the first match or at the best position found so far; the minimum over the lists is
 * the route config order picks, and candidates above the winner are never tested. Regex routes
 * cannot be indexed: a config with thousands of them pays for each one below the winner.
 */
export class RouteBucket<T> {
  private readonly routes: readonly CompiledRoute<T>[];
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes = new PrefixTrie();
  private readonly other: number[] = [];
  /** First position added: a search limited below it cannot find anything here. */
  private first = NO_POSITION;
  /** Last position added, to ignore a route listing two patterns that land in this bucket. */
  private last = -1;

  constructor(routes: readonly CompiledRoute<T>[]) {
    this.routes = routes;
  }

  /** Adds a route; callers add in ascending position order. */
  add(route: CompiledRoute<T>): void {
    const pos = route.position;
    if (pos === this.last) return;
    if (this.last === -1) this.first = pos;
    this.last = pos;
    const kind = route.pathKind;
    if (kind === PATH_EXACT) {
      const list = this.exact.get(route.pathValue);
      if (list === undefined) this.exact.set(route.pathValue, [pos]);
      else list.push(pos);
    } else if ((kind === PATH_PREFIX_DIR || kind === PATH_PREFIX_SEGMENT) && route.pathValue.charCodeAt(0) === 0x2f) {
      this.prefixes.add(route);
    } else {
      this.other.push(pos);
    }
  }

  /**
   * Lowest position in this bucket below `limit` whose route matches, or -1. `limit` is
   * `NO_POSITION` for no limit. Bounded by the number of candidates; allocates nothing.
   */
  find(path: string, method: string, headers: IncomingHttpHeaders, limit: number): number {
    // Typical configs list catch-all routes last: once a host route won, skip them outright.
    if (limit <= this.first) return -1;
    const routes = this.routes;
    let best = limit;
    if (this.exact.size !== 0) {
      const list = this.exact.get(path);
      if (list !== undefined) best = firstMatch(routes, list, true, path, method, headers, best);
    }
    if (best > this.prefixes.first && path.charCodeAt(0) === 0x2f) {
      best = this.prefixes.find(routes, path, method, headers, best);
    }
    if (this.other.length !== 0) best = firstMatch(routes, this.other, false, path, method, headers, best);
    return best === limit ? -1 : best;
  }
}
