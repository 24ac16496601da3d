import { type CacheControl, parseCacheControl } from './cache-control';
import { CacheEntry, entryCost } from './cache-entry';
import { correctedInitialAge, freshnessLifetime, type HeuristicSettings, parseAge } from './freshness';
import { formatHttpDate, type HeaderRecord, parseHttpDate, splitList } from './header-list';

/**
 * Header fields a cache never stores (RFC 9111 §3.1): hop-by-hop fields (RFC 9110 §7.6.1),
 * proxy-specific fields, and `Age` (recomputed when serving).
 */
export const NOT_STORED: ReadonlySet<string> = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'proxy-authentication-info',
  'age',
]);

/**
 * The stored header list of a response: lower-cased names, flat, without the fields above,
 * without the fields named by `Connection`, without `private="..."` fields (§5.2.2.7), with a
 * `Date` added when the origin sent none (RFC 9110 §6.6.1), and with `Content-Length` set to the
 * recorded body length (`bodyLength >= 0`).
 */
export function storedHeaders(headers: HeaderRecord, cc: CacheControl, responseTime: number, bodyLength: number): string[] {
  const out: string[] = [];
  const connection = headers['connection'];
  const dropped = splitList(connection === undefined ? null : typeof connection === 'string' ? connection : connection.join(','));
  const privateFields = cc.privateFields;
  let hasDate = false;
  for (const rawName in headers) {
    const value = headers[rawName];
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (NOT_STORED.has(name) || dropped.includes(name)) continue;
    if (privateFields !== null && privateFields.includes(name)) continue;
    if (name === 'content-length') continue;
    if (name === 'date') hasDate = true;
    if (typeof value === 'string') out.push(name, value);
    else for (let i = 0; i < value.length; i++) out.push(name, value[i] as string);
  }
  if (!hasDate) out.push('date', formatHttpDate(responseTime));
  if (bodyLength >= 0) out.push('content-length', String(bodyLength));
  return out;
}

/** First value of a name in a stored (lower-cased) list. */
export function storedHeader(headers: readonly string[], name: string): string | null {
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i] === name) return headers[i + 1] as string;
  return null;
}

/** All values of a name in a stored (lower-cased) list. */
export function storedHeaderAll(headers: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i] === name) out.push(headers[i + 1] as string);
  return out;
}

/** Shared by every entry without secondary keys (most), instead of two empty arrays each. */
const NO_VARY: readonly never[] = Object.freeze([]);

/**
 * `body` itself when it owns its whole backing store, else an exact copy in a fresh, unpooled
 * buffer. A view would keep its parent alive: a chunk cut from undici's socket read (up to
 * 64 KiB), or a slot of Node's shared 8 KiB `Buffer` pool, for as long as the entry is stored,
 * which the budget would never see (issue 10: 4 KiB entries held ~8x their size).
 */
export function ownedBody(body: Buffer): Buffer {
  if (body.byteOffset === 0 && body.buffer.byteLength === body.length) return body;
  const copy = Buffer.allocUnsafeSlow(body.length);
  copy.set(body);
  return copy;
}

/**
 * Builds an entry from a stored header list and its timing. `ageSeconds` is the `Age` the
 * origin (or an upstream cache) sent. Freshness is computed once, here. The entry keeps an
 * exact-size copy of `headers` (a list grown by `push` reserves up to half again its length)
 * and an `ownedBody(body)`, so what it retains is what `entryCost` charges.
 */
export function buildEntry(
  key: string,
  status: number,
  headers: string[],
  body: Buffer,
  ageSeconds: number,
  requestTime: number,
  responseTime: number,
  varyNames: readonly string[],
  varyValues: readonly (string | null)[],
  settings: HeuristicSettings,
): CacheEntry {
  const ccValues = storedHeaderAll(headers, 'cache-control');
  const cc = parseCacheControl(ccValues.length === 0 ? null : ccValues);
  let dateMs = parseHttpDate(storedHeader(headers, 'date'));
  if (Number.isNaN(dateMs)) dateMs = responseTime;
  const lastModified = storedHeader(headers, 'last-modified');
  const lifetime = freshnessLifetime(status, cc, dateMs, storedHeaderAll(headers, 'expires'), parseHttpDate(lastModified), settings);
  const owned = ownedBody(body);
  return new CacheEntry(
    key,
    status,
    headers.slice(),
    owned,
    requestTime,
    responseTime,
    correctedInitialAge(ageSeconds, dateMs, requestTime, responseTime),
    lifetime,
    cc,
    storedHeader(headers, 'etag'),
    lastModified,
    dateMs,
    varyNames.length === 0 ? NO_VARY : varyNames,
    varyValues.length === 0 ? NO_VARY : varyValues,
    entryCost(key, headers, owned.length),
  );
}

/** The `Age` header of a record, seconds (0 when absent or invalid). */
export function recordAge(headers: HeaderRecord): number {
  const v = headers['age'];
  if (v === undefined) return 0;
  return parseAge(typeof v === 'string' ? v : (v[0] ?? null));
}
