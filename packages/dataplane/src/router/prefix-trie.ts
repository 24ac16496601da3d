import type { IncomingHttpHeaders } from 'node:http';
import { firstMatch, PATH_PREFIX_DIR, type CompiledRoute } from './compiled-route';
import { NO_POSITION } from './no-position';
import { segmentHash } from './segment-hash';

class TrieNode {
  /** Children keyed by `segmentHash` of the next segment; null for a leaf. */
  children: Map<number, TrieNode> | null = null;
  /** Positions (ascending) of prefix routes whose prefix ends at this node. */
  readonly routes: number[] = [];
}

/**
 * Prefix routes indexed by path segment, so a lookup only tests prefixes along the request's
 * own path, however many routes share a first segment (`/api/v1/<resource>` x 10,000).
 *
 * ```
 *   "/api"         -> root -> api                 (also matches "/api/...", segment boundary)
 *   "/api/v1/"     -> root -> api -> v1           (only below "/api/v1/": matchesPath checks)
 *   "/api/v1/user" -> root -> api -> v1 -> user
 *
 *   lookup "/api/v1/user/7": visit api, api/v1, api/v1/user (no child "7": stop)
 * ```
 *
 * Both prefix forms end on a whole segment (`/api` matches only at a boundary, `/api/` only
 * below), so the nodes on the path's own walk hold every prefix that can match it.
 */
export class PrefixTrie {
  private readonly root = new TrieNode();
  private firstPosition = NO_POSITION;

  /**
   * Lowest position in the trie (`NO_POSITION` when empty): a search whose best is already at
   * or below it skips the walk.
   */
  get first(): number {
    return this.firstPosition;
  }

  /** Adds a prefix route (its value starts with `/` and is not `/`); in ascending position order. */
  add(route: CompiledRoute<unknown>): void {
    let v = route.pathValue;
    // "/api/v1/" lives at api/v1, like "/api/v1"; matchesPath tells them apart.
    if (route.pathKind === PATH_PREFIX_DIR) v = v.slice(0, -1);
    let node = this.root;
    let start = 1;
    while (start <= v.length) {
      const slash = v.indexOf('/', start);
      const key = segmentHash(v, start, slash === -1 ? v.length : slash);
      if (node.children === null) node.children = new Map();
      let child = node.children.get(key);
      if (child === undefined) {
        child = new TrieNode();
        node.children.set(key, child);
      }
      node = child;
      if (slash === -1) break;
      start = slash + 1;
    }
    node.routes.push(route.position);
    if (this.firstPosition === NO_POSITION) this.firstPosition = route.position;
  }

  /**
   * Lowest position below `best` among the prefix routes on `path`'s walk that fully match, or
   * `best`. The path starts with `/`. Bounded by the path's segment count and the candidates.
   */
  find(
    routes: readonly CompiledRoute<unknown>[],
    path: string,
    method: string,
    headers: IncomingHttpHeaders,
    best: number,
  ): number {
    let node = this.root;
    const len = path.length;
    let start = 1;
    // Bounded: `start` grows by at least one segment per iteration.
    while (start <= len) {
      const children = node.children;
      if (children === null) break;
      const slash = path.indexOf('/', start);
      const end = slash === -1 ? len : slash;
      const child = children.get(segmentHash(path, start, end));
      if (child === undefined) break;
      node = child;
      if (node.routes.length !== 0) best = firstMatch(routes, node.routes, false, path, method, headers, best);
      if (slash === -1) break;
      start = slash + 1;
    }
    return best;
  }
}
