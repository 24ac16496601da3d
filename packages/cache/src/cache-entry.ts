import type { CacheControl } from './cache-control';

/**
 * One stored response (one variant of a primary key). Immutable once stored, except for the
 * store's LRU links; a revalidation builds a new entry (`applyNotModified`) that replaces it.
 *
 * Header names are lower-cased, in a flat `[name, value, ...]` list; hop-by-hop fields and
 * `Age` are not kept (`Age` is computed when serving), and a missing `Date` was added at
 * receipt (RFC 9110 §6.6.1).
 */
export class CacheEntry {
  /** Store links (LRU list); owned by `CacheStore`. */
  prev: CacheEntry | null = null;
  next: CacheEntry | null = null;
  /** True while the entry is in a store. */
  stored = false;

  constructor(
    /** Primary key (`scheme://host/path?query`). */
    readonly key: string,
    readonly status: number,
    /** Flat `[name, value, ...]`, lower-cased names. */
    readonly headers: readonly string[],
    readonly body: Buffer,
    /** When the request that produced this response was sent (epoch ms). */
    readonly requestTime: number,
    /** When the response headers arrived (epoch ms). */
    readonly responseTime: number,
    /** `corrected_initial_age` in ms (RFC 9111 §4.2.3). */
    readonly correctedInitialAge: number,
    /** Freshness lifetime in ms (RFC 9111 §4.2.1). */
    readonly lifetime: number,
    /** The stored response's parsed `Cache-Control`. */
    readonly cc: CacheControl,
    /** The `ETag` value as stored, or `null`. */
    readonly etag: string | null,
    /** The `Last-Modified` value as stored, or `null`. */
    readonly lastModified: string | null,
    /** `Date` in epoch ms. */
    readonly dateMs: number,
    /** Secondary key names: the response's `Vary` names plus the route's `keyHeaders`. */
    readonly varyNames: readonly string[],
    /** The request's values for `varyNames` (`null` = absent), normalized by `variantValue`. */
    readonly varyValues: readonly (string | null)[],
    /** Bytes charged against the store budget. */
    readonly cost: number,
  ) {}
}

/** Fixed per-entry overhead charged to the budget (object, links, arrays), bytes. */
export const ENTRY_OVERHEAD_BYTES = 256;

/** The budget cost of an entry: body + header bytes + key + a fixed overhead. */
export function entryCost(key: string, headers: readonly string[], bodyLength: number): number {
  let n = ENTRY_OVERHEAD_BYTES + key.length + bodyLength;
  for (let i = 0; i < headers.length; i++) n += (headers[i] as string).length + 2;
  return n;
}
