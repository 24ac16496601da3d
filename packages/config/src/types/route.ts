/** Routes of the Weir config: matching, actions, per-route timeouts and retries. */

import type { HttpsRedirectConfig, RouteUpgradesConfig } from './edge';
import type { PluginConfig, RouteLimitsConfig } from './policy';
import type { TrafficConfig } from './traffic';
import type { CacheConfig } from './cache';
import type { RouteTracingConfig } from './tracing';

/**
 * A route: a match and exactly one action (`upstream`, `split` or `directResponse`).
 *
 * Precedence: the request's host picks a host bucket first, most specific first: an exact host,
 * then the longest matching `*.suffix` wildcard, then routes without `hosts`. Routes without
 * `hosts` also belong to every bucket. Within the bucket, routes are tried in config order and the
 * first whose path, methods and headers all match wins (Envoy's virtual host + first-match
 * order). No match is a 404 with code WEIR_ERR_NO_ROUTE.
 */
export interface RouteConfig {
  /** Unique name, used in metrics, logs and errors. */
  readonly name: string;
  /** Listener names this route serves (at least one when set). Default: every listener. */
  readonly listeners?: readonly string[];
  readonly match?: MatchConfig;
  /** Forward to one upstream (shorthand for a split with one entry). */
  readonly upstream?: string;
  /** Forward to upstream groups by weight (each request picks one group). */
  readonly split?: readonly SplitConfig[];
  /** Answer directly without an upstream. */
  readonly directResponse?: DirectResponseConfig;
  /** Per-route overrides of the upstream timeouts. */
  readonly timeouts?: RouteTimeoutsConfig;
  /**
   * Retry policy of a forwarding route (not allowed with `directResponse`). Default: one retry on
   * connect failures and resets (see RetryConfig).
   */
  readonly retry?: RetryConfig;
  /** Upgrade requests (WebSocket) this route proxies as tunnels. Default: WebSocket allowed. */
  readonly upgrades?: RouteUpgradesConfig;
  /**
   * A request for this route that arrived on a plain (non-TLS) listener is redirected to HTTPS
   * instead of served. Default: served on every listener.
   */
  readonly httpsRedirect?: HttpsRedirectConfig;
  /** Request plugins, run in this order after routing (see PluginConfig). Default none. */
  readonly plugins?: readonly PluginConfig[];
  /** Rate, concurrency and body-size limits, checked after the plugins. Default none. */
  readonly limits?: RouteLimitsConfig;
  /**
   * Overrides, sticky splits, mirroring and fault injection of a forwarding route (not allowed
   * with `directResponse`). Default: the split's weights per request, nothing else.
   */
  readonly traffic?: TrafficConfig;
  /**
   * Cache responses of this forwarding route (RFC 9111 shared cache; `{}` for the defaults).
   * Not allowed with `directResponse`. Default: no caching.
   */
  readonly cache?: CacheConfig;
  /** Per-route sampling of traces (issue 18). Default: `tracing.sampling`. */
  readonly tracing?: RouteTracingConfig;
}

export interface MatchConfig {
  /**
   * Host names (case-insensitive, port ignored). `example.com` is exact; `*.example.com` matches
   * any name ending in `.example.com` (one or more labels). Default: any host.
   */
  readonly hosts?: readonly string[];
  /** Path match on the request target's path (query excluded). Default: any path. */
  readonly path?: PathMatchConfig;
  /** Methods (upper case). Default: any method. */
  readonly methods?: readonly string[];
  /** Every listed header condition must hold. Default: none. */
  readonly headers?: readonly HeaderMatchConfig[];
}

/** Exactly one of `exact`, `prefix`, `regex`. */
export interface PathMatchConfig {
  /** The path equals this string. Starts with `/`; no `?`, `#` or whitespace. */
  readonly exact?: string;
  /**
   * The path starts with this string. A prefix ending in `/` matches only below it; a prefix
   * without a trailing slash also matches at a segment boundary (`/api` matches `/api`,
   * `/api/x`, `/api?q`, not `/apix`). Starts with `/`; no `?`, `#` or whitespace.
   */
  readonly prefix?: string;
  /**
   * RE2 regular expression, matched in linear time and anchored to the whole path (as if
   * written `^(?:regex)$`). No backreferences or lookaround; 1-1024 characters and at most
   * `server.regexMaxProgramSize` RE2 instructions.
   */
  readonly regex?: string;
}

/** Header condition. With none of `exact`, `prefix`, `regex`: the header must be present. */
export interface HeaderMatchConfig {
  /** Header name (an RFC 9110 token), case-insensitive. */
  readonly name: string;
  readonly exact?: string;
  readonly prefix?: string;
  /**
   * RE2 regular expression, matched in linear time and anchored to the whole value (as if
   * written `^(?:regex)$`). No backreferences or lookaround; 1-1024 characters and at most
   * `server.regexMaxProgramSize` RE2 instructions. At most one of `exact`, `prefix`, `regex`.
   */
  readonly regex?: string;
  /** `true`: the header must be absent (no value conditions allowed). Default `false`. */
  readonly absent?: boolean;
}

export interface SplitConfig {
  /** Name of an upstream; each upstream at most once per split. */
  readonly upstream: string;
  /** Relative weight, integer 1-10000. Default `1`. */
  readonly weight?: number;
}

export interface DirectResponseConfig {
  /** HTTP status, 200-599. */
  readonly status: number;
  /** Response body, at most 1 MiB of characters; none with status 204 or 304. Default: empty. */
  readonly body?: string;
  /**
   * Response headers. Names are tokens, case-insensitive, each at most once; hop-by-hop headers
   * (`connection`, `keep-alive`, `proxy-connection`, `te`, `trailer`, `transfer-encoding`,
   * `upgrade`) and `content-length` (computed from the body) are rejected. Values contain no CR,
   * LF or NUL. Default `content-type: text/plain; charset=utf-8` when a body is set.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteTimeoutsConfig {
  /** Overrides the upstream's `requestMs` for this route. */
  readonly requestMs?: number;
  /**
   * Overall time for the request, from its arrival until the response headers of the final
   * attempt, covering every retry and backoff; 0 = none. It does not cut a response body that
   * is streaming (the upstream's `idleMs` guards that). Expiry is a 504 WEIR_ERR_UPSTREAM_TIMEOUT
   * and is never retried. Default `0`.
   */
  readonly totalMs?: number;
}

/**
 * When and how a forwarding route retries a failed attempt (issue 4). A retry re-picks an
 * endpoint, preferring one not tried yet. Whatever `retryOn` says, the safety rule applies: a
 * connect failure may be retried for any method (nothing was sent); after the request was sent,
 * only idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) are retried, unless
 * `retryNonIdempotent` is set; and a request body is replayed only if it was at most
 * `maxReplayBodyBytes`. The upstream's `circuitBreaker.retryBudget` and `maxRetries` cap
 * concurrent retries. A `Retry-After` response header (seconds or HTTP date) delays the retry
 * by at least that long when that fits in what is left of the route's `timeouts.totalMs` (without
 * one: within `backoff.maxMs`); otherwise the response goes to the client unretried.
 */
export interface RetryConfig {
  /** Retries after the first attempt, 0-10; 0 disables retrying. Default `1`. */
  readonly retries?: number;
  /**
   * Which failures are retried, a set of: `"connect-failure"` (refused, unreachable, connect
   * timeout), `"reset"` (connection reset or closed before a response), `"5xx"` (any 5xx
   * response, and Weir's own per-try timeout), `"gateway-error"` (502, 503, 504 and the per-try
   * timeout), `"retriable-status"` (the statuses in `retriableStatuses`). Default
   * `["connect-failure","reset"]`.
   */
  readonly retryOn?: readonly RetryOnConfig[];
  /**
   * Response statuses (200-599) retried when `retryOn` holds `"retriable-status"`; it must be
   * non-empty exactly then. Default `[]`.
   */
  readonly retriableStatuses?: readonly number[];
  /**
   * Time allowed for each attempt, from sending the request until the response headers; 0 = only
   * the route's or upstream's `requestMs`. When set, each attempt is bounded by the smaller of
   * the two; its expiry is retryable under `"5xx"` and `"gateway-error"`. Default `0`.
   */
  readonly perTryTimeoutMs?: number;
  /** Delay before each retry. */
  readonly backoff?: RetryBackoffConfig;
  /**
   * `true`: retry non-idempotent methods (POST, PATCH, ...) even after the request was sent, for
   * routes whose upstream deduplicates. Default `false`.
   */
  readonly retryNonIdempotent?: boolean;
  /**
   * Largest request body, in bytes (0-16777216), that Weir keeps in memory to replay on a retry:
   * a body with a `Content-Length` up to this size is read whole before the first attempt when a
   * retry after sending is possible; a larger or chunked body streams and is not retried once
   * sent. Default `65536`.
   */
  readonly maxReplayBodyBytes?: number;
}

/** A retry condition; see RetryConfig.retryOn. */
export type RetryOnConfig = 'connect-failure' | 'reset' | '5xx' | 'gateway-error' | 'retriable-status';

/**
 * Fully jittered exponential backoff: retry n (from 1) waits a random time in
 * `[0, min(maxMs, baseMs * 2^(n-1))]` (Envoy's algorithm).
 */
export interface RetryBackoffConfig {
  /** Base interval. Default `25`. */
  readonly baseMs?: number;
  /** Cap of the interval; at least `baseMs`. Default `250`. */
  readonly maxMs?: number;
}
