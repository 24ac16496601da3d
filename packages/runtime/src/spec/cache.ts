/** A route's response cache in the spec (issue 10), defaults filled in; see `@weir/config`'s types/cache.ts. */
export interface CacheSpec {
  readonly maxBytes: number;
  readonly maxObjectBytes: number;
  /** Lower-cased, sorted, unique. */
  readonly keyHeaders: readonly string[];
  readonly storeSetCookie: boolean;
  readonly heuristicPercent: number;
  readonly maxHeuristicSeconds: number;
  readonly collapseTimeoutMs: number;
}
