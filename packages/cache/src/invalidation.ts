import { keyOrigin, normalizeHost, primaryKey } from './cache-key';
import type { CacheRequestView } from './cache-request';
import { isSafeMethod } from './cache-request';
import { type HeaderRecord, recordHeader } from './header-list';

/**
 * Invalidation after an unsafe method (RFC 9111 §4.4). A non-error response (2xx or 3xx) to an
 * unsafe method (anything but GET, HEAD, OPTIONS, TRACE) invalidates the target URI and the
 * URIs in `Location` and `Content-Location` when they have the same origin (scheme and host,
 * default port stripped) as the target: a different origin must not be able to flush another's
 * entries. Returns the primary keys whose variants are to be removed (deduplicated).
 *
 * `Location`/`Content-Location` may be relative; they are resolved with WHATWG `URL` against the
 * target. That allocates, which is acceptable here: this runs only for successful unsafe
 * requests, never on the lookup path.
 */
export function invalidationKeys(req: CacheRequestView, status: number, responseHeaders: HeaderRecord): string[] {
  const out: string[] = [];
  if (isSafeMethod(req.method) || status < 200 || status > 399) return out;
  const target = primaryKey(req.scheme, req.host, req.target);
  if (target === null) return out;
  out.push(target);
  const origin = keyOrigin(target);
  addSameOrigin(out, origin, target, recordHeader(responseHeaders, 'location'));
  addSameOrigin(out, origin, target, recordHeader(responseHeaders, 'content-location'));
  return out;
}

function addSameOrigin(out: string[], origin: string, base: string, ref: string | null): void {
  if (ref === null || ref.length === 0) return;
  let url: URL;
  try {
    url = new URL(ref.trim(), base);
  } catch {
    return;
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return;
  const key = scheme + '://' + normalizeHost(scheme, url.host) + url.pathname + url.search;
  if (keyOrigin(key) !== origin) return;
  if (!out.includes(key)) out.push(key);
}
