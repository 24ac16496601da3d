/**
 * Primary cache keys (RFC 9111 §2): `scheme://host/path?query`, the form the purge API takes,
 * so `purgePrefix("http://host/api/")` works on plain string prefixes.
 *
 * - The method is not part of the key: only GET and HEAD are looked up and both share the GET
 *   entry.
 * - The host is lower-cased and its default port (`:80` for http, `:443` for https) stripped.
 * - Path and query are kept exactly as received (no percent-decoding or dot-segment removal),
 *   so two spellings of one resource are two keys: a miss, never a wrong answer.
 * - Configured `keyHeaders` do not go into the primary key: they join the secondary key with
 *   the stored response's `Vary` names (see `variant-key.ts`), so purging a URL removes every
 *   header variant.
 */

/** Lower-cases a host and strips the scheme's default port. */
export function normalizeHost(scheme: string, host: string): string {
  let h = host.toLowerCase();
  if (scheme === 'http' && h.endsWith(':80')) h = h.slice(0, -3);
  else if (scheme === 'https' && h.endsWith(':443')) h = h.slice(0, -4);
  return h;
}

/**
 * The primary key for a request target in origin form (`/path?query`). Returns `null` for a
 * target that is not origin form (`*`, absolute form, empty): such requests bypass the cache.
 */
export function primaryKey(scheme: string, host: string, target: string): string | null {
  if (target.length === 0 || target.charCodeAt(0) !== 47 /* / */) return null;
  return scheme + '://' + normalizeHost(scheme, host) + target;
}

/** The origin part of a primary key (`scheme://host`), used by the same-origin checks. */
export function keyOrigin(key: string): string {
  const slash = key.indexOf('/', key.indexOf('://') + 3);
  return slash === -1 ? key : key.slice(0, slash);
}
