import { jsonPointer } from '../json-pointer';
import type { CacheConfig, WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * The hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection, not the
 * request, and Weir removes them before forwarding, so they cannot tell two requests for the
 * same resource apart.
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * A route's response `cache` (issue 10) holds together:
 *
 * - only forwarding routes cache: `cache` on a route whose only action is `directResponse` is
 *   rejected, like `retry` and `traffic` there (a route with several actions is already
 *   reported by the action check);
 * - `maxObjectBytes` is at most `maxBytes`, defaults included (a response larger than the whole
 *   budget could never be stored), reported at the field that was written (`maxObjectBytes`
 *   when both are, as for `retry.backoff`): `{ "maxBytes": 65536 }` alone is refused, because the
 *   default `maxObjectBytes` (1 MiB) exceeds it;
 * - `keyHeaders` names no hop-by-hop header, and no header twice, case-insensitively (the
 *   schema's `uniqueItems` compares exactly; `X-Tenant` and `x-tenant` are one key part).
 *
 * `cache: {}` is valid: it caches with every default.
 */
export function checkRouteCache(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const cache = route.cache;
    if (cache === undefined) continue;
    const at = ['routes', i, 'cache'] as const;
    if (route.directResponse !== undefined && route.upstream === undefined && route.split === undefined) {
      report(jsonPointer(...at), 'a direct-response route has no upstream response to cache: remove "cache"');
      continue;
    }
    checkSizes(cache, at, report);
    checkKeyHeaders(cache.keyHeaders ?? [], at, report);
  }
}

function checkSizes(cache: CacheConfig, at: readonly (string | number)[], report: Report): void {
  const max = cache.maxBytes ?? configDefaults.cacheMaxBytes;
  const object = cache.maxObjectBytes ?? configDefaults.cacheMaxObjectBytes;
  if (object <= max) return;
  const field = cache.maxObjectBytes !== undefined ? 'maxObjectBytes' : 'maxBytes';
  const objectText = cache.maxObjectBytes !== undefined ? `${object}` : `${object}, the default`;
  const maxText = cache.maxBytes !== undefined ? `${max}` : `${max}, the default`;
  report(
    jsonPointer(...at, field),
    `maxObjectBytes (${objectText}) must not exceed maxBytes (${maxText}): a response larger than the whole cache could never be stored`,
  );
}

function checkKeyHeaders(names: readonly string[], at: readonly (string | number)[], report: Report): void {
  const seen = new Map<string, string>();
  for (const [j, name] of names.entries()) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      const why = 'a hop-by-hop header (it describes the connection and is not forwarded)';
      report(jsonPointer(...at, 'keyHeaders', j), `"${name}" cannot be part of the cache key: ${why}`);
      continue;
    }
    const first = seen.get(lower);
    if (first === undefined) seen.set(lower, name);
    else report(jsonPointer(...at, 'keyHeaders', j), `header "${name}" is already listed as "${first}" (header names are case-insensitive)`);
  }
}
