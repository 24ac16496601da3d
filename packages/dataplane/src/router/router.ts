import type { IncomingHttpHeaders } from 'node:http';
import type { MatchSpec } from '@weir/runtime';
import { CompiledRoute } from './compiled-route';
import { WeirError } from '@weir/errors';
import { normaliseHost, normaliseHostPattern } from './normalise-host';
import { NO_POSITION } from './no-position';
import { RouteBucket } from './route-bucket';

/** One route handed to `Router.compile`: its match and what a match returns. */
export interface RouterEntry<T> {
  readonly match: MatchSpec;
  readonly value: T;
}

/**
 * The compiled route table of one runtime: built once in `assemble`, immutable, and shared by
 * every request that runs on that runtime.
 *
 * Precedence (config types' `RouteConfig`): the host picks one bucket, most specific first, and
 * within it the first route in config order whose path, methods and headers all match wins.
 * There is no fallback to a less specific bucket: a host with an exact bucket whose routes do
 * not match gets no route, as with Envoy's virtual hosts.
 *
 * ```
 *   Host header --normalise--> "api.example.com"
 *        |
 *        +--> exact:     Map "api.example.com" -> bucket ----------------+
 *        |      (miss)                                                    |
 *        +--> wildcards: Map ".example.com" -> bucket  (longest suffix   |
 *        |      (miss)        first: ".b.example.com" before ".com")      |
 *        +--> none: host bucket = null                                    v
 *                                      pos = bucket.find(path, ...)           (host routes)
 *                                      pos = min(pos, defaults.find(..., limit = pos))
 * ```
 *
 * Routes without hosts ("defaults") belong to every bucket at their config position. Rather than
 * copying them into every host bucket (hosts x defaults entries), they live in one bucket of their
 * own, searched second with the host bucket's winner as an upper bound, so the lowest position
 * wins exactly as if they had been copied.
 */
export class Router<T> {
  private readonly routes: readonly CompiledRoute<T>[];
  private readonly exactHosts: ReadonlyMap<string, RouteBucket<T>>;
  /** Keyed by the wildcard's suffix with its dot: `*.example.com` -> `.example.com`. */
  private readonly wildcardHosts: ReadonlyMap<string, RouteBucket<T>>;
  private readonly defaults: RouteBucket<T>;

  private constructor(
    routes: readonly CompiledRoute<T>[],
    exactHosts: ReadonlyMap<string, RouteBucket<T>>,
    wildcardHosts: ReadonlyMap<string, RouteBucket<T>>,
    defaults: RouteBucket<T>,
  ) {
    this.routes = routes;
    this.exactHosts = exactHosts;
    this.wildcardHosts = wildcardHosts;
    this.defaults = defaults;
  }

  /**
   * Compiles entries given in config order, in one go: `RouterBuilder` with every entry added,
   * then sealed. The spec was validated upstream, so this trusts it: regexes compile (with
   * `@weir/regex`, the engine validation used), hosts are lower case. Host patterns starting
   * with `*.` are wildcards; any other pattern is an exact host.
   */
  static compile<T>(entries: readonly RouterEntry<T>[]): Router<T> {
    const builder = new RouterBuilder<T>();
    for (let i = 0; i < entries.length; i++) builder.add(entries[i] as RouterEntry<T>);
    return builder.seal();
  }

  /** @internal Called by `RouterBuilder.seal()` only. */
  static sealed<T>(
    routes: readonly CompiledRoute<T>[],
    exactHosts: ReadonlyMap<string, RouteBucket<T>>,
    wildcardHosts: ReadonlyMap<string, RouteBucket<T>>,
    defaults: RouteBucket<T>,
  ): Router<T> {
    return new Router(routes, exactHosts, wildcardHosts, defaults);
  }

  /** Number of routes in the table. */
  get size(): number {
    return this.routes.length;
  }

  /**
   * The value of the winning route, or null (the caller answers 404 WEIR_ERR_NO_ROUTE).
   *
   * @param host raw `Host` header value (any case, optional port, IPv6 in brackets, optional
   *   trailing dot); undefined searches only routes without hosts.
   * @param path request target up to, not including, `?`.
   * @param method request method as Node gives it (upper case).
   * @param headers Node's header object (lower-cased names).
   */
  match(host: string | undefined, path: string, method: string, headers: IncomingHttpHeaders): T | null {
    let bucket: RouteBucket<T> | null = null;
    if (host !== undefined && host.length !== 0) {
      const h = normaliseHost(host);
      if (this.exactHosts.size !== 0) bucket = this.exactHosts.get(h) ?? null;
      if (bucket === null && this.wildcardHosts.size !== 0) bucket = this.wildcard(h);
    }
    let pos = bucket === null ? -1 : bucket.find(path, method, headers, NO_POSITION);
    const d = this.defaults.find(path, method, headers, pos === -1 ? NO_POSITION : pos);
    if (d !== -1) pos = d;
    return pos === -1 ? null : (this.routes[pos] as CompiledRoute<T>).value;
  }

  /**
   * Longest wildcard whose suffix the host ends with. Scanning dots left to right tries the
   * longest suffix first; starting at index 1 requires at least one label before the suffix,
   * so `*.example.com` never matches `example.com` itself. Bounded by the host's label count.
   */
  private wildcard(host: string): RouteBucket<T> | null {
    const map = this.wildcardHosts;
    for (let i = host.indexOf('.', 1); i !== -1; i = host.indexOf('.', i + 1)) {
      const bucket = map.get(host.slice(i));
      if (bucket !== undefined) return bucket;
    }
    return null;
  }
}

/**
 * Builds a `Router` one entry at a time, so a worker can compile a 100,000-route table in slices
 * and serve requests in between (issue 15; `assembleAsync`). Entries are added in config order;
 * `seal()` compiles each bucket's regex set and returns the router. `Router.compile` is this
 * builder run in one go, so both give the same table.
 */
export class RouterBuilder<T> {
  private readonly routes: CompiledRoute<T>[] = [];
  private readonly exact = new Map<string, RouteBucket<T>>();
  private readonly wild = new Map<string, RouteBucket<T>>();
  private readonly defaults: RouteBucket<T>;
  private done = false;

  constructor() {
    this.defaults = new RouteBucket<T>(this.routes);
  }

  /** Entries added so far. */
  get size(): number {
    return this.routes.length;
  }

  /** Adds the next entry (config order: its position is the number added before it). */
  add(entry: RouterEntry<T>): void {
    if (this.done) throw new WeirError('WEIR_ERR_INTERNAL', 'RouterBuilder.add after seal');
    const route = new CompiledRoute(this.routes.length, entry.match, entry.value);
    this.routes.push(route);
    const hosts = entry.match.hosts;
    if (hosts.length === 0) {
      this.defaults.add(route);
      return;
    }
    for (let h = 0; h < hosts.length; h++) {
      const pattern = normaliseHostPattern(hosts[h] as string);
      const isWild = pattern.startsWith('*.');
      const map = isWild ? this.wild : this.exact;
      const key = isWild ? pattern.slice(1) : pattern;
      let bucket = map.get(key);
      if (bucket === undefined) {
        bucket = new RouteBucket<T>(this.routes);
        map.set(key, bucket);
      }
      bucket.add(route);
    }
  }

  /** Compiles the buckets' regex sets and returns the router; the builder is spent. */
  seal(): Router<T> {
    if (this.done) throw new WeirError('WEIR_ERR_INTERNAL', 'RouterBuilder.seal called twice');
    this.done = true;
    this.defaults.seal();
    for (const bucket of this.exact.values()) bucket.seal();
    for (const bucket of this.wild.values()) bucket.seal();
    return Router.sealed(this.routes, this.exact, this.wild, this.defaults);
  }
}
