import { parseCacheControl } from './cache-control';
import type { CacheEntry } from './cache-entry';
import { NOT_STORED, buildEntry, recordAge, storedHeaderAll } from './build-entry';
import { weakMatch } from './entity-tag';
import type { HeuristicSettings } from './freshness';
import { formatHttpDate, type HeaderRecord, recordHeader, splitList } from './header-list';

/**
 * Revalidation (RFC 9111 §4.3): the conditional request's validators and the update of a stored
 * entry from a 304.
 */

/**
 * Validators to send upstream when revalidating (RFC 9111 §4.3.1): `if-none-match` with the
 * stored ETag and/or `if-modified-since` with the stored Last-Modified, flat `[name, value, ...]`.
 * The data plane replaces the client's own conditional headers with these (the client's
 * conditionals are answered from the entry by `serve`).
 */
export function conditionalHeaders(entry: CacheEntry): string[] {
  const out: string[] = [];
  if (entry.etag !== null) out.push('if-none-match', entry.etag);
  if (entry.lastModified !== null) out.push('if-modified-since', entry.lastModified);
  return out;
}

/**
 * Whether a 304 selects this entry (RFC 9111 §4.3.4): its ETag must weakly match the stored one;
 * without an ETag, its Last-Modified must equal the stored one; a 304 with neither validator
 * selects the entry. On `false` the data plane must repeat the request upstream without
 * conditionals (the entry is not updated).
 */
export function notModifiedMatches(entry: CacheEntry, headers304: HeaderRecord): boolean {
  const etag = recordHeader(headers304, 'etag');
  if (etag !== null) return entry.etag !== null && weakMatch(etag, entry.etag);
  const lm = recordHeader(headers304, 'last-modified');
  if (lm !== null) return entry.lastModified === lm;
  return true;
}

/**
 * Fields a 304 never updates (RFC 9111 §3.2): those a cache does not store (`NOT_STORED`: hop-by-hop,
 * proxy-specific), `Content-Length`, and fields describing the stored bytes or the variant they
 * depend on (`Content-Encoding`, `Content-Range`, `Vary`), kept for integrity as §3.2 allows.
 * `Age` is not stored; it feeds the new age calculation.
 */
const NOT_UPDATED: ReadonlySet<string> = new Set([...NOT_STORED, 'content-length', 'content-encoding', 'content-range', 'vary']);

/**
 * The entry updated by a matching 304 (RFC 9111 §3.2, §4.3.4): every other field of the 304
 * replaces the stored values of that name; `Date` is added when the 304 has none; the timing
 * (request/response time, `Age`) becomes the 304's, so the entry is as fresh as the 304 says.
 * `Set-Cookie` from the 304 is kept only with `storeSetCookie`; `private="..."` fields are
 * dropped. The store must replace the old entry with the result (`CacheStore.put` does).
 */
export function applyNotModified(
  entry: CacheEntry,
  headers304: HeaderRecord,
  requestTime: number,
  responseTime: number,
  settings: HeuristicSettings & { readonly storeSetCookie: boolean },
): CacheEntry {
  const connection = splitList(recordHeader(headers304, 'connection'));
  const updates: string[] = [];
  for (const raw in headers304) {
    const value = headers304[raw];
    if (value === undefined) continue;
    const name = raw.toLowerCase();
    if (NOT_UPDATED.has(name) || connection.includes(name)) continue;
    if (name === 'set-cookie' && !settings.storeSetCookie) continue;
    if (typeof value === 'string') updates.push(name, value);
    else for (let i = 0; i < value.length; i++) updates.push(name, value[i] as string);
  }
  let hasDate = false;
  for (let i = 0; i < updates.length; i += 2) if (updates[i] === 'date') hasDate = true;
  if (!hasDate) updates.push('date', formatHttpDate(responseTime));
  const merged: string[] = [];
  const old = entry.headers;
  for (let i = 0; i + 1 < old.length; i += 2) {
    const name = old[i] as string;
    let replaced = false;
    for (let j = 0; j < updates.length; j += 2) {
      if (updates[j] === name) {
        replaced = true;
        break;
      }
    }
    if (!replaced) merged.push(name, old[i + 1] as string);
  }
  const ccValues: string[] = [];
  for (let j = 0; j + 1 < updates.length; j += 2) if (updates[j] === 'cache-control') ccValues.push(updates[j + 1] as string);
  const privateFields = parseCacheControl(ccValues.length > 0 ? ccValues : storedHeaderAll(old, 'cache-control')).privateFields;
  for (let j = 0; j + 1 < updates.length; j += 2) {
    const name = updates[j] as string;
    if (privateFields !== null && privateFields.includes(name)) continue;
    merged.push(name, updates[j + 1] as string);
  }
  return buildEntry(
    entry.key,
    entry.status,
    merged,
    entry.body,
    recordAge(headers304),
    requestTime,
    responseTime,
    entry.varyNames,
    entry.varyValues,
    settings,
  );
}
