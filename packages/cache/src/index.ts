/**
 * @weir/cache: the RFC 9111 shared cache (issue 10). Pure decisions with an injected clock, a
 * size-bounded store and collapsed forwarding; the data plane hands it plain data (no undici,
 * no node:http). Start at `RouteCache`; the rest is exported for tests, tools and finer control.
 * Documented in apps/weir/docs/cache.md.
 */
export { RouteCache, LookupDecision, REVALIDATION_STRIPPED_HEADERS } from './route-cache';
export type { LookupKind, RouteCacheOptions } from './route-cache';
export type { CacheSettings } from './cache-settings';
export type { CacheRequestView } from './cache-request';
export { isCacheableMethod, isSafeMethod, pragmaNoCache, requestCacheControl } from './cache-request';
export { wallClock } from './clock';
export type { Clock } from './clock';
export { CacheControl, parseCacheControl, emptyCacheControl, parseDeltaSeconds, MAX_DELTA_SECONDS } from './cache-control';
export { primaryKey, normalizeHost, keyOrigin } from './cache-key';
export { variantValue, varyNames, varyValues, variantMatches, selectVariant } from './variant-key';
export { storability, UNDERSTOOD_STATUSES } from './storability';
export type { StoreVerdict, StoreRequestFacts } from './storability';
export {
  freshnessLifetime,
  correctedInitialAge,
  currentAge,
  parseAge,
  HEURISTIC_STATUSES,
} from './freshness';
export type { HeuristicSettings } from './freshness';
export { CacheEntry, entryCost, ENTRY_OVERHEAD_BYTES, HEADER_FIELD_OVERHEAD_BYTES } from './cache-entry';
export { buildEntry, ownedBody, storedHeaders } from './build-entry';
export { reuse, staleForbidden, staleIfError, isOriginError } from './reuse-policy';
export type { Reuse } from './reuse-policy';
export { serveEntry, notModified, ifRangeMatches, ServedResponse } from './serve-entry';
export { evaluateRange, ByteRange } from './byte-range';
export { weakMatch, strongMatch, noneMatch, splitEntityTags } from './entity-tag';
export { conditionalHeaders, notModifiedMatches, applyNotModified } from './revalidation';
export { invalidationKeys } from './invalidation';
export { CacheStore, MAX_VARIANTS } from './cache-store';
export type { CacheStoreLimits } from './cache-store';
export { BodyRecorder } from './body-recorder';
export { Collapser, LEADER, DEFAULT_MAX_WAITERS } from './collapser';
export type { Leader, CollapseTimers } from './collapser';
export { CacheStats } from './cache-stats';
export { CACHE_STATUS, withFwdStatus, staleIfErrorStatus } from './cache-status';
export type { HeaderRecord } from './header-list';
