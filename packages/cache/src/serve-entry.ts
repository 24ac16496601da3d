import type { CacheEntry } from './cache-entry';
import type { CacheRequestView } from './cache-request';
import { evaluateRange } from './byte-range';
import { noneMatch, strongMatch } from './entity-tag';
import { currentAge } from './freshness';
import { joinedHeader, parseHttpDate } from './header-list';

/** A response built from a stored entry: what the data plane writes to the client. */
export class ServedResponse {
  constructor(
    readonly status: number,
    /** Flat `[name, value, ...]`, lower-cased names; always includes `age` and `cache-status`. */
    readonly headers: string[],
    /** Empty for HEAD, 304 and 416; a view (no copy) of the stored body for 206. */
    readonly body: Buffer,
  ) {}
}

const EMPTY_BODY = Buffer.alloc(0);

/** Fields a 304 carries (RFC 9110 §15.4.5); `last-modified` only when there is no `etag`. */
const NOT_MODIFIED_FIELDS: ReadonlySet<string> = new Set(['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary']);

/**
 * True when the client's conditional request is answered 304 from the entry (RFC 9110 §13.1,
 * RFC 9111 §4.3.2): `If-None-Match` by weak comparison; without it, `If-Modified-Since`
 * against `Last-Modified` (or `Date` when the entry has none). Only 2xx entries are
 * evaluated (RFC 9110 §13.2.1).
 */
export function notModified(entry: CacheEntry, req: CacheRequestView): boolean {
  if (entry.status < 200 || entry.status > 299) return false;
  const inm = joinedHeader(req.headers, 'if-none-match');
  if (inm !== null) return noneMatch(inm, entry.etag);
  const ims = parseHttpDate(joinedHeader(req.headers, 'if-modified-since'));
  if (Number.isNaN(ims)) return false;
  let reference = parseHttpDate(entry.lastModified);
  if (Number.isNaN(reference)) reference = entry.dateMs;
  return reference <= ims;
}

/**
 * `If-Range` (RFC 9110 §13.1.5): an entity-tag must match strongly; a date must equal a strong
 * `Last-Modified` (at least one second before `Date`).
 */
export function ifRangeMatches(entry: CacheEntry, ifRange: string): boolean {
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return entry.etag !== null && strongMatch(v, entry.etag);
  if (entry.lastModified === null) return false;
  const lm = parseHttpDate(entry.lastModified);
  const d = parseHttpDate(v);
  return !Number.isNaN(lm) && lm === d && entry.dateMs - lm >= 1000;
}

function pushTail(out: string[], ageSeconds: number, cacheStatus: string): void {
  out.push('age', String(ageSeconds), 'cache-status', cacheStatus);
}

/**
 * Builds the response for a request from a stored entry: 304 for a matching conditional, 206
 * or 416 for a single `Range: bytes=` on a 200 entry (GET only, honouring `If-Range`; several
 * ranges, an `If-Range` mismatch or a malformed header give the full 200), headers only for
 * HEAD, otherwise the stored response. Every answer carries `Age` (whole seconds, RFC 9111
 * §5.1) and `Cache-Status` (`cacheStatus`, RFC 9211).
 */
export function serveEntry(entry: CacheEntry, req: CacheRequestView, cacheStatus: string, now: number): ServedResponse {
  const ageSeconds = Math.floor(currentAge(entry.correctedInitialAge, entry.responseTime, now) / 1000);
  const stored = entry.headers;
  if (notModified(entry, req)) {
    const out: string[] = [];
    for (let i = 0; i + 1 < stored.length; i += 2) {
      const name = stored[i] as string;
      if (NOT_MODIFIED_FIELDS.has(name) || (name === 'last-modified' && entry.etag === null)) out.push(name, stored[i + 1] as string);
    }
    pushTail(out, ageSeconds, cacheStatus);
    return new ServedResponse(304, out, EMPTY_BODY);
  }
  const isHead = req.method === 'HEAD';
  if (!isHead && entry.status === 200) {
    const range = joinedHeader(req.headers, 'range');
    if (range !== null) {
      const ifRange = joinedHeader(req.headers, 'if-range');
      if (ifRange === null || ifRangeMatches(entry, ifRange)) {
        const length = entry.body.length;
        const r = evaluateRange(range, length);
        if (r.kind === 'unsatisfiable') {
          const out: string[] = [];
          for (let i = 0; i + 1 < stored.length; i += 2) {
            const name = stored[i] as string;
            if (name === 'date' || name === 'etag' || name === 'last-modified') out.push(name, stored[i + 1] as string);
          }
          out.push('content-range', 'bytes */' + length, 'content-length', '0');
          pushTail(out, ageSeconds, cacheStatus);
          return new ServedResponse(416, out, EMPTY_BODY);
        }
        if (r.kind === 'partial') {
          const out: string[] = [];
          for (let i = 0; i + 1 < stored.length; i += 2) {
            const name = stored[i] as string;
            if (name !== 'content-length') out.push(name, stored[i + 1] as string);
          }
          out.push('content-range', 'bytes ' + r.start + '-' + r.end + '/' + length, 'content-length', String(r.end - r.start + 1));
          pushTail(out, ageSeconds, cacheStatus);
          return new ServedResponse(206, out, entry.body.subarray(r.start, r.end + 1));
        }
      }
    }
  }
  const out: string[] = stored.slice();
  pushTail(out, ageSeconds, cacheStatus);
  return new ServedResponse(entry.status, out, isHead ? EMPTY_BODY : entry.body);
}
