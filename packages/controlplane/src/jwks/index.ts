/**
 * JWKS module: the primary fetches and refreshes the key sets named by `jwt` plugins'
 * `jwksUrl` and hands them to the workers (issue 9).
 */
export { JwksFetcher, JWKS_RETRY_MS, DEFAULT_JWKS_MAX_BYTES, DEFAULT_JWKS_TIMEOUT_MS } from './jwks-fetcher';
export type { JwksFetcherOptions, JwksFetchListener, JwksFetchOutcome, JwksStatus, JwksUrlEntry } from './jwks-fetcher';
export type { JwksFailure } from './fetch-jwks';
export { parseJwkSet } from './jwk-set';
export type { JwkSet, JwkSetParse } from './jwk-set';
export { realJwksTimers } from './jwks-timers';
export type { JwksTimers } from './jwks-timers';
