import type { IncomingHttpHeaders } from 'node:http';
import { LinearRegexSet, type LinearRegex } from '@weir/regex';
import {
  firstMatch,
  PATH_EXACT,
  PATH_PREFIX_DIR,
  PATH_PREFIX_SEGMENT,
  PATH_REGEX,
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
 *   regex:  RE2 set  [7, 30]                   all path regexes in one automaton: one pass
 *                                              over the path yields the positions it matches
 *   other:  [2, 12, 40]                        any-path, "/" and odd prefixes: always
 *                                              candidates, tested last
 *
 *   lookup "/api/v1/users":  best = none
 *     exact.get(path)         -> no list
 *     trie walk api, api/v1   -> test 0 (no), 5 (yes): best = 5; 9 is never tested
 *     regex                   -> skipped: its first position 7 >= best
 *     other                   -> test 2 (no); stop at 12 >= best        => route 5
 * ```
 *
 * The winner is the lowest position that fully matches. Each list is sorted, so scanning it
 * stops at the first match or at the best position found so far; the minimum over the lists is
 * the route config order picks, and candidates above the winner are never tested. Regex routes
 * share one RE2 set (`@weir/regex`), so their cost does not grow with their number (issue 14).
 */
export class RouteBucket<T> {
  private readonly routes: readonly CompiledRoute<T>[];
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes = new PrefixTrie();
  private readonly other: number[] = [];
  /** Positions of the path-regex routes, in the order of `regexSet`'s patterns. */
  private readonly regexPositions: number[] = [];
  private readonly regexPatterns: LinearRegex[] = [];
  /** Built by `seal()`; null while there are no regex routes. */
  private regexSet: LinearRegexSet | null = null;
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
    } else if (kind === PATH_REGEX) {
      this.regexPositions.push(pos);
      this.regexPatterns.push(route.pathRegex as LinearRegex);
    } else {
      this.other.push(pos);
    }
  }

  /** Compiles the regex set once every route was added; `Router.compile` calls it. */
  seal(): void {
    if (this.regexPatterns.length !== 0) this.regexSet = new LinearRegexSet(this.regexPatterns);
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
    if (this.regexSet !== null && best > (this.regexPositions[0] as number)) {
      best = this.firstRegexMatch(path, method, headers, best);
    }
    if (this.other.length !== 0) best = firstMatch(routes, this.other, false, path, method, headers, best);
    return best === limit ? -1 : best;
  }

  /** Lowest regex route below `best` whose path regex and other conditions match, or `best`. */
  private firstRegexMatch(path: string, method: string, headers: IncomingHttpHeaders, best: number): number {
    const hits = (this.regexSet as LinearRegexSet).matches(path);
    for (let i = 0; i < hits.length; i++) {
      const pos = this.regexPositions[hits[i] as number] as number;
      if (pos >= best) return best;
      if ((this.routes[pos] as CompiledRoute<T>).matchesRest(method, headers)) return pos;
    }
    return best;
  }
}
