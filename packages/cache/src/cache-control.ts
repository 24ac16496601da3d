/**
 * The one Cache-Control parser (RFC 9111 §5.2), used for requests and responses alike.
 *
 * Conservative handling (RFC 9111 §4.2.1, §5.2):
 * - directive names are case-insensitive; arguments may be tokens or quoted strings;
 * - a delta-seconds argument that is not a non-negative integer is invalid: `max-age` and
 *   `s-maxage` then count as 0 (the response is stale), request `max-age` as 0 (revalidate),
 *   `min-fresh` as 0 and `max-stale` as absent (no stale use);
 * - duplicates of a delta-seconds directive with different values resolve to the most
 *   restrictive reading (the smallest lifetime; `max-stale` the smallest allowance);
 * - values above 2^31 are capped to 2^31 (RFC 9111 §1.2.2);
 * - `no-cache="a, b"` and `private="a, b"` keep their field-name lists (lower-cased).
 */
export class CacheControl {
  noStore = false;
  /** Unqualified or qualified `no-cache`. */
  noCache = false;
  /** Field names of a qualified `no-cache="..."`; `null` when unqualified or absent. */
  noCacheFields: string[] | null = null;
  /** Unqualified `private` (a qualified one only sets `privateFields`). */
  private = false;
  /** Field names of `private="..."`; `null` when absent. */
  privateFields: string[] | null = null;
  public = false;
  mustRevalidate = false;
  proxyRevalidate = false;
  mustUnderstand = false;
  noTransform = false;
  onlyIfCached = false;
  immutable = false;
  /** Seconds, or -1 when absent. */
  maxAge = -1;
  /** Seconds, or -1 when absent. */
  sMaxAge = -1;
  /** Seconds (`Infinity` without an argument), or -1 when absent. */
  maxStale = -1;
  /** Seconds, or -1 when absent. */
  minFresh = -1;
  /** Seconds, or -1 when absent (RFC 5861). */
  staleWhileRevalidate = -1;
  /** Seconds, or -1 when absent (RFC 5861). */
  staleIfError = -1;
  /** True when no directive was present at all. */
  empty = true;
}

/** The largest delta-seconds value (RFC 9111 §1.2.2). */
export const MAX_DELTA_SECONDS = 2147483648;

const EMPTY = new CacheControl();
Object.freeze(EMPTY);

/** A shared, frozen, empty result (for absent headers). */
export function emptyCacheControl(): CacheControl {
  return EMPTY;
}

/** Parses a delta-seconds argument; -2 when invalid. */
export function parseDeltaSeconds(value: string | null): number {
  if (value === null || value.length === 0) return -2;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return -2;
    n = n * 10 + (c - 48);
    if (n > MAX_DELTA_SECONDS) n = MAX_DELTA_SECONDS;
  }
  return n;
}

function mergeDelta(current: number, next: number): number {
  return current === -1 ? next : Math.min(current, next);
}

function fieldList(value: string | null): string[] {
  const out: string[] = [];
  if (value === null) return out;
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    const name = (parts[i] as string).trim().toLowerCase();
    if (name.length > 0) out.push(name);
  }
  return out;
}

/**
 * Parses one or more Cache-Control field values (several header lines are passed as an array
 * or already joined with commas). `undefined`/`null` gives the shared empty result.
 */
export function parseCacheControl(value: string | readonly string[] | null | undefined): CacheControl {
  if (value === null || value === undefined) return EMPTY;
  const text = typeof value === 'string' ? value : value.join(',');
  if (text.length === 0) return EMPTY;
  const cc = new CacheControl();
  const len = text.length;
  let i = 0;
  while (i < len) {
    // skip separators and whitespace
    let c = text.charCodeAt(i);
    while (i < len && (c === 44 || c === 32 || c === 9)) c = text.charCodeAt(++i);
    if (i >= len) break;
    const nameStart = i;
    while (i < len) {
      c = text.charCodeAt(i);
      if (c === 61 || c === 44 || c === 32 || c === 9) break;
      i++;
    }
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < len && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    let arg: string | null = null;
    if (i < len && text.charCodeAt(i) === 61) {
      i++;
      while (i < len && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i < len && text.charCodeAt(i) === 34) {
        // quoted-string with backslash escapes
        i++;
        let s = '';
        while (i < len) {
          c = text.charCodeAt(i);
          if (c === 92 && i + 1 < len) {
            s += text[i + 1];
            i += 2;
            continue;
          }
          if (c === 34) {
            i++;
            break;
          }
          s += text[i];
          i++;
        }
        arg = s;
      } else {
        const argStart = i;
        while (i < len && text.charCodeAt(i) !== 44) i++;
        arg = text.slice(argStart, i).trim();
      }
    }
    // anything up to the next comma is garbage after the directive: skip it
    while (i < len && text.charCodeAt(i) !== 44) i++;
    if (name.length === 0) continue;
    cc.empty = false;
    apply(cc, name, arg);
  }
  return cc;
}

function apply(cc: CacheControl, name: string, arg: string | null): void {
  switch (name) {
    case 'no-store':
      cc.noStore = true;
      return;
    case 'no-cache':
      cc.noCache = true;
      if (arg !== null) cc.noCacheFields = (cc.noCacheFields ?? []).concat(fieldList(arg));
      return;
    case 'private':
      if (arg === null) cc.private = true;
      else cc.privateFields = (cc.privateFields ?? []).concat(fieldList(arg));
      return;
    case 'public':
      cc.public = true;
      return;
    case 'must-revalidate':
      cc.mustRevalidate = true;
      return;
    case 'proxy-revalidate':
      cc.proxyRevalidate = true;
      return;
    case 'must-understand':
      cc.mustUnderstand = true;
      return;
    case 'no-transform':
      cc.noTransform = true;
      return;
    case 'only-if-cached':
      cc.onlyIfCached = true;
      return;
    case 'immutable':
      cc.immutable = true;
      return;
    case 'max-age': {
      const n = parseDeltaSeconds(arg);
      cc.maxAge = mergeDelta(cc.maxAge, n < 0 ? 0 : n);
      return;
    }
    case 's-maxage': {
      const n = parseDeltaSeconds(arg);
      cc.sMaxAge = mergeDelta(cc.sMaxAge, n < 0 ? 0 : n);
      return;
    }
    case 'max-stale': {
      if (arg === null) {
        cc.maxStale = cc.maxStale === -1 ? Infinity : cc.maxStale;
        return;
      }
      const n = parseDeltaSeconds(arg);
      if (n >= 0) cc.maxStale = mergeDelta(cc.maxStale, n);
      return;
    }
    case 'min-fresh': {
      const n = parseDeltaSeconds(arg);
      cc.minFresh = n < 0 ? Math.max(cc.minFresh, 0) : Math.max(cc.minFresh, n);
      return;
    }
    case 'stale-while-revalidate': {
      const n = parseDeltaSeconds(arg);
      if (n >= 0) cc.staleWhileRevalidate = mergeDelta(cc.staleWhileRevalidate, n);
      return;
    }
    case 'stale-if-error': {
      const n = parseDeltaSeconds(arg);
      if (n >= 0) cc.staleIfError = mergeDelta(cc.staleIfError, n);
      return;
    }
    default:
      return; // unknown extensions are ignored (RFC 9111 §5.2.3)
  }
}
