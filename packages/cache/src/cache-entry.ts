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

/**
 * Fixed per-entry overhead charged to the budget, bytes: what every stored entry keeps alive
 * besides its body, header and key characters (issue 10, "memory used against the configured
 * budget"). Measured on Node 20 (x64, no pointer compression) by diffing V8 heap snapshots of a
 * store holding 20,000 entries (5 header fields, 300-byte bodies, `/obj/N` keys) against the same
 * process after a purge, bytes per entry:
 *
 *     CacheControl 176, CacheEntry 168, body Buffer 96 + ArrayBuffer 88,
 *     header array 32 + 16, variants array 56 (`[entry]`), Map slot ~46,
 *     two boxed timestamps 32, key cons strings 64 + flat parts' headers ~40   = ~814 on the heap
 *
 * plus ~200 off the heap for the body's backing store (V8's `BackingStore`, the array-buffer
 * extension and malloc headers; RSS per `Buffer.allocUnsafeSlow` minus its heap objects and
 * bytes), which `process.memoryUsage().heapUsed + arrayBuffers` does not show. Rounded to 1000.
 * `tools/bench/cache-retained.js` checks the sum against retained memory under churn.
 */
export const ENTRY_OVERHEAD_BYTES = 1000;

/**
 * Per stored header field (name and value), on top of their characters, bytes: two 8-byte
 * slots in the header array and the 16-byte header of the value string (names are mostly
 * V8-internalized strings shared by every entry, but their characters are charged anyway).
 */
export const HEADER_FIELD_OVERHEAD_BYTES = 32;

/**
 * The budget cost of an entry: its body, the characters of its key and header fields, and the
 * measured overheads above. Exceeds what the entry retains a little (shared header names), so
 * a store at its budget holds at most about its budget (`CacheStore`).
 */
export function entryCost(key: string, headers: readonly string[], bodyLength: number): number {
  let n = ENTRY_OVERHEAD_BYTES + key.length + bodyLength;
  for (let i = 0; i < headers.length; i++) n += (headers[i] as string).length;
  return n + (headers.length >> 1) * HEADER_FIELD_OVERHEAD_BYTES;
}
