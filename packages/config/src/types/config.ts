/**
 * The Weir config, as an operator writes it (JSON). This file is the TypeScript mirror of
 * `schema/weir.schema.json`; the schema is the source of truth for validation, these types are
 * what code reads after validation. Every field documents its default. Durations are integer
 * milliseconds and their names end in `Ms`.
 *
 * Forward compatibility: top-level keys starting with `x-` are accepted and ignored. Any other
 * unknown key is an error.
 *
 * Names (of listeners, routes, upstreams) are 1-128 characters of letters, digits, `.`, `_` and
 * `-`, starting with a letter or digit, and unique within their section. Durations (`...Ms`) are
 * 1 ms to 24 h unless a field says 0 is allowed.
 */
export interface WeirConfig {
  /** Optional URL or path of the JSON Schema, for editors. Ignored. */
  readonly $schema?: string;
  /**
   * Number of worker processes, 1-1024. Default `"auto"`: one per CPU core (`os.availableParallelism()`).
   * Changing it at runtime takes effect on the next start.
   */
  readonly workers?: number | 'auto';
  /** Process logs and access logs. */
  readonly logging?: LoggingConfig;
  /** Process-wide behaviour of the data plane. */
  readonly server?: ServerConfig;
  /** Where the proxy accepts traffic. At least one; no two bind the same address and port. */
  readonly listeners: readonly ListenerConfig[];
  /** Routes, matched per request (see RouteConfig for precedence). May be empty (all 404). */
  readonly routes: readonly RouteConfig[];
  /** Named groups of endpoints that routes forward to. Default: none. */
  readonly upstreams?: readonly UpstreamConfig[];
  /**
   * The admin REST API of the primary (apps/weir/docs/admin-api.md). Default: enabled on
   * `127.0.0.1:9901`, with a generated admin token when `tokens` is empty. Workers never see
   * this section (only a digest of it, so a change to it alone is still a new config version).
   */
  readonly admin?: AdminConfig;
  /**
   * The primary's state directory: committed config versions, kept across restarts
   * (apps/weir/docs/operations.md, "State directory"). Control plane only: workers never see it,
   * and a change to it alone is not a new config version for them.
   */
  readonly state?: StateConfig;
}

/** Where the primary persists committed configs, and how many it keeps. */
export interface StateConfig {
  /**
   * Directory of the committed config history. Read once at start, from the config file (a
   * config that itself comes from the state directory cannot move it); `--state-dir` overrides
   * it. Default: systemd's `$STATE_DIRECTORY`, else `/var/lib/weir` when run as root, else
   * `$XDG_STATE_HOME/weir` (`~/.local/state/weir`).
   */
  readonly dir?: string;
  /** Committed versions kept for rollback, 1-1000, the running one included. Default `20`. */
  readonly historySize?: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggingConfig {
  /** Minimum level of process logs (pino, JSON lines on stdout). Default `"info"`. */
  readonly level?: LogLevel;
  /** Access log, one JSON line per request, written asynchronously. Default: disabled. */
  readonly accessLog?: AccessLogConfig;
}

export interface AccessLogConfig {
  /** Default `false`. */
  readonly enabled?: boolean;
  /** `"stdout"` or an absolute file path (appended to). Default `"stdout"`. */
  readonly path?: string;
}

export interface ServerConfig {
  /**
   * On SIGTERM, how long in-flight requests may run before the worker exits anyway.
   * Default `30000`.
   */
  readonly drainTimeoutMs?: number;
}

export interface ListenerConfig {
  /** Unique name, referenced by routes' `listeners`. */
  readonly name: string;
  /**
   * IP address to bind: an IP literal, IPv6 without brackets (names are not resolved).
   * Default `"127.0.0.1"`. Use `"0.0.0.0"` or `"::"` (dual-stack) for all interfaces.
   */
  readonly address?: string;
  /** TCP port, 1-65535 (0 picks a free port: tests only). */
  readonly port: number;
  /** Limits protecting the listener from slow or large clients. */
  readonly limits?: ListenerLimitsConfig;
}

export interface ListenerLimitsConfig {
  /** Time allowed to receive the whole request header section. Default `10000`. */
  readonly headersTimeoutMs?: number;
  /** Time allowed to receive the whole request, body included; 0 disables. Default `0`
   * (bodies are streamed; the upstream `idleMs` guards stalled uploads). When set, it must be
   * at least `headersTimeoutMs` (Node refuses the opposite). */
  readonly requestTimeoutMs?: number;
  /** How long an idle client keep-alive connection stays open. Default `5000`. */
  readonly keepAliveTimeoutMs?: number;
  /** Largest request header section in bytes, 1024-1048576; larger gets 431. Default `16384`. */
  readonly maxHeaderBytes?: number;
  /** Requests served on one client connection before it is closed; 0 = unlimited. Default `0`. */
  readonly maxRequestsPerConnection?: number;
}

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
   * ECMAScript regular expression, compiled without flags and anchored to the whole path
   * (`^(?:regex)$`). 1-1024 characters.
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
   * ECMAScript regular expression, compiled without flags and anchored to the whole value
   * (`^(?:regex)$`). 1-1024 characters. At most one of `exact`, `prefix`, `regex`.
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

export interface UpstreamConfig {
  /** Unique name, referenced by routes. */
  readonly name: string;
  /** At least one endpoint; no address twice. */
  readonly endpoints: readonly EndpointConfig[];
  readonly timeouts?: UpstreamTimeoutsConfig;
  readonly pool?: PoolConfig;
  /** How a request picks one endpoint. Default: weighted round robin. */
  readonly balancer?: BalancerConfig;
  /**
   * Active HTTP health checks, run once per host by the primary and shared with every worker.
   * Default: none (every endpoint counts as healthy).
   */
  readonly healthCheck?: HealthCheckConfig;
  /** Passive outlier detection, per worker. Default: enabled with Envoy's defaults. */
  readonly outlierDetection?: OutlierDetectionConfig;
  /** Concurrency limits, the failure-ratio breaker and the retry budget, per worker. */
  readonly circuitBreaker?: CircuitBreakerConfig;
}

/** Load-balancing policy of an upstream. Endpoint weights apply to every policy. */
export interface BalancerConfig {
  /**
   * `"round_robin"` (smooth weighted round robin), `"least_request"` (power of two choices on
   * in-flight requests), `"random"` (weighted), `"ring_hash"` or `"maglev"` (consistent hashing
   * on `hashOn`; removing one of N endpoints moves about 1/N of the keys). Default
   * `"round_robin"`.
   */
  readonly policy?: 'round_robin' | 'least_request' | 'random' | 'ring_hash' | 'maglev';
  /**
   * What `ring_hash` and `maglev` hash: exactly one of a header, a cookie or the client address.
   * Required by those two policies and not allowed with the others. A request without the
   * header or cookie gets a random endpoint.
   */
  readonly hashOn?: HashOnConfig;
  /**
   * When fewer than this percentage (0-100) of the endpoints are available (healthy and not
   * ejected), picks ignore health and ejection and choose among all endpoints, rather than
   * overload the few left (Envoy's panic threshold); 0 disables panic mode. Default `50`.
   */
  readonly panicThresholdPercent?: number;
}

/** The hash key of a consistent-hashing balancer: exactly one field. */
export interface HashOnConfig {
  /** A request header (case-insensitive name); its first value is hashed. */
  readonly header?: string;
  /** A cookie name (case-sensitive); its value is hashed. */
  readonly cookie?: string;
  /** `true`: the client's IP address (the TCP peer, not X-Forwarded-For) is hashed. */
  readonly clientAddress?: true;
}

/**
 * Active HTTP health checks: `GET path` to each endpoint every `intervalMs` (plus jitter), from
 * the primary only, so probe traffic does not grow with the worker count. An endpoint turns
 * unhealthy after `unhealthyThreshold` consecutive failures and healthy again after
 * `healthyThreshold` consecutive successes; a failure is a status outside `expectedStatuses`, a
 * connection error or a timeout. Unhealthy endpoints get no traffic unless the balancer's panic
 * threshold is crossed. Health survives reloads that keep the endpoint and these settings.
 */
export interface HealthCheckConfig {
  /** Request path (with an optional query). Default `"/healthz"`. */
  readonly path?: string;
  /** Time between the end of one check and the start of the next. Default `5000`. */
  readonly intervalMs?: number;
  /**
   * A random extra delay of 0 to `jitterMs` added to each interval (and before an endpoint's first
   * check), so checks of many endpoints do not go out in lockstep; 0 disables. Default `500`.
   */
  readonly jitterMs?: number;
  /** Time allowed for the whole check (connect, response headers and body). Default `2000`. */
  readonly timeoutMs?: number;
  /** Consecutive successes that turn an unhealthy endpoint healthy, 1-100. Default `2`. */
  readonly healthyThreshold?: number;
  /** Consecutive failures that turn a healthy endpoint unhealthy, 1-100. Default `3`. */
  readonly unhealthyThreshold?: number;
  /**
   * Inclusive status ranges `[low, high]` (100-599) that count as success. Default `[[200,399]]`.
   */
  readonly expectedStatuses?: readonly (readonly [number, number])[];
  /**
   * State of an endpoint that was never checked (new in the config, or after a restart).
   * `"unhealthy"`: no traffic until its first check passes (one pass is enough, as in Envoy);
   * `"healthy"`: traffic at once, until `unhealthyThreshold` failures. Default `"unhealthy"`.
   */
  readonly initialState?: 'healthy' | 'unhealthy';
}

/**
 * Passive outlier detection (Envoy's semantics and defaults), per worker: endpoints that fail are
 * ejected for `baseEjectionMs` times the number of times they were ejected, at most
 * `maxEjectionMs`. Local-origin failures (connect refused, reset, timeout) count separately from
 * upstream 5xx responses. Enabled by default, unlike Envoy: Weir's promise is to keep serving
 * when an endpoint misbehaves without tuning, and `maxEjectionPercent` bounds what it can eject.
 */
export interface OutlierDetectionConfig {
  /** `false` turns outlier detection off for this upstream. Default `true`. */
  readonly enabled?: boolean;
  /** Consecutive 5xx responses that eject an endpoint; 0 disables this detector. Default `5`. */
  readonly consecutive5xx?: number;
  /**
   * Consecutive gateway failures (502, 503, 504) that eject an endpoint; 0 disables this
   * detector. Default `5`.
   */
  readonly consecutiveGatewayFailure?: number;
  /**
   * Consecutive local-origin failures (connect refused or timed out, reset, request timeout) that
   * eject an endpoint; 0 disables this detector. Default `5`.
   */
  readonly consecutiveLocalOriginFailure?: number;
  /** Analysis interval: success-rate checks and un-ejection happen on it. Default `10000`. */
  readonly intervalMs?: number;
  /** Ejection time, multiplied by the number of times the endpoint was ejected. Default `30000`. */
  readonly baseEjectionMs?: number;
  /** Longest ejection; at least `baseEjectionMs`. Default `300000`. */
  readonly maxEjectionMs?: number;
  /**
   * Most endpoints ejected at once, as a percentage (0-100) of the upstream's endpoints, rounded
   * down but at least one (Envoy). Default `10`.
   */
  readonly maxEjectionPercent?: number;
  /** Success-rate ejection (statistical outliers). Default: off. */
  readonly successRate?: SuccessRateConfig;
}

/**
 * Success-rate ejection: on each interval, an endpoint whose success rate is below
 * `mean - stdevFactor * stdev` of the upstream's endpoints is ejected.
 */
export interface SuccessRateConfig {
  /** Fewest endpoints with enough requests for the analysis to run, 1-1000. Default `5`. */
  readonly minimumHosts?: number;
  /** Fewest requests in the interval for an endpoint to be analysed. Default `100`. */
  readonly requestVolume?: number;
  /** How many standard deviations below the mean ejects, 0.1-10. Default `1.9`. */
  readonly stdevFactor?: number;
}

/**
 * Circuit breaking for one upstream, counted per worker (as Envoy counts per cluster). An
 * exceeded concurrency limit fails the request at once with 503 and a stable error code (see
 * errors.md); an open failure-ratio breaker fails it with 503 without any upstream round trip.
 */
export interface CircuitBreakerConfig {
  /** Most upstream connections across the upstream's endpoints. Default `1024`. */
  readonly maxConnections?: number;
  /** Most requests waiting for a connection. Default `1024`. */
  readonly maxPendingRequests?: number;
  /** Most requests in flight to the upstream. Default `1024`. */
  readonly maxRequests?: number;
  /**
   * Most retries in flight to the upstream, a hard cap besides `retryBudget` (which is usually
   * the tighter one). Default `1024`.
   */
  readonly maxRetries?: number;
  /**
   * Retries in flight may be at most `percent` of the requests in flight to the upstream, but
   * never fewer than `minRetries` (Envoy's retry budget), so a failing upstream does not get a
   * retry storm. On by default.
   */
  readonly retryBudget?: RetryBudgetConfig;
  /**
   * The failure-ratio breaker: closed → open → half-open → closed. Default: off (the concurrency
   * limits and outlier detection still apply).
   */
  readonly failureRatio?: FailureRatioConfig;
}

/** See CircuitBreakerConfig.retryBudget. */
export interface RetryBudgetConfig {
  /** Percentage (0-100) of the in-flight requests that may be retries; 100 effectively lifts the budget. Default `20`. */
  readonly percent?: number;
  /** Retries in flight always allowed, whatever the percentage. Default `3`. */
  readonly minRetries?: number;
}

/**
 * The failure-ratio breaker. Closed: it counts attempts in a sliding `windowMs`; once at least
 * `minimumRequests` were seen and the share of failures (local-origin failures and 5xx responses)
 * reaches `threshold`, it opens. Open: every request fails fast with 503, for `openMs`. Half-open:
 * `halfOpenProbes` requests go through; all succeeding closes it, any failing re-opens it.
 */
export interface FailureRatioConfig {
  /** Failure share that opens the breaker, more than 0 and at most 1. Default `0.5`. */
  readonly threshold?: number;
  /** Fewest attempts in the window before the ratio is judged. Default `20`. */
  readonly minimumRequests?: number;
  /** Sliding window over which the ratio is computed. Default `10000`. */
  readonly windowMs?: number;
  /** How long the breaker stays open before probing. Default `5000`. */
  readonly openMs?: number;
  /** Requests let through while half-open, 1-100. Default `3`. */
  readonly halfOpenProbes?: number;
}

export interface EndpointConfig {
  /**
   * `host:port` (IPv6 as `[::1]:port`), port 1-65535. Host is an IPv4 address, a bracketed IPv6
   * address or a DNS name.
   */
  readonly address: string;
  /** Relative weight for balancing, integer 1-10000. Default `1`. */
  readonly weight?: number;
}

export interface UpstreamTimeoutsConfig {
  /** TCP connect timeout; expiry is a 504 WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT. Default `5000`. */
  readonly connectMs?: number;
  /**
   * Time from sending the request until the response headers arrive; expiry is a 504
   * WEIR_ERR_UPSTREAM_TIMEOUT. Default `30000`.
   */
  readonly requestMs?: number;
  /**
   * Longest silence while streaming a body in either direction; expiry aborts the exchange
   * (a 504 if no response was started). Default `60000`.
   */
  readonly idleMs?: number;
}

export interface PoolConfig {
  /** Most connections per endpoint per worker, 1-65535. Default `256`. */
  readonly connections?: number;
  /** How long an idle upstream keep-alive connection is kept. Default `4000` (below the
   * common 5 s server-side keep-alive, to avoid racing the upstream's close). */
  readonly keepAliveMs?: number;
}

/**
 * The admin REST API (JSON over HTTP, on the primary). Every endpoint but `GET /admin/health`
 * needs a bearer token with a scope. `listen` and `enabled` are read at start-up only (a change
 * is logged and takes effect at the next start); `tokens`, `maxBodyBytes` and `allowedHosts`
 * take effect as soon as the config that carries them is committed. Changing this section
 * through the API needs the `admin` scope.
 */
export interface AdminConfig {
  /** `false`: no admin listener at all (the config then changes only by file). Default `true`. */
  readonly enabled?: boolean;
  /** Where the admin API listens. Keep it on loopback unless a firewall guards it. */
  readonly listen?: AdminListenConfig;
  /**
   * Bearer tokens accepted by the API, each stored as a salted hash (`weir token` prints a new
   * token and its entry). Default `[]`: Weir then generates one admin token on first start, keeps
   * its hash in the state directory and prints the token once (see admin-api.md).
   */
  readonly tokens?: readonly AdminTokenConfig[];
  /** Largest request body in bytes, 1024-1073741824; larger gets 413. Default `10485760`. */
  readonly maxBodyBytes?: number;
  /**
   * Host names accepted in the `Host` header besides the listen address, `localhost` and the
   * loopback literals (a guard against DNS rebinding): add the name a reverse proxy or a scraper
   * uses to reach the API. Default `[]`.
   */
  readonly allowedHosts?: readonly string[];
}

export interface AdminListenConfig {
  /** IP address to bind (IPv6 without brackets). Default `"127.0.0.1"`. */
  readonly address?: string;
  /** TCP port, 0-65535 (0 picks a free port: tests only). Default `9901`. */
  readonly port?: number;
}

/** One bearer token of the admin API. The token itself is never in the config. */
export interface AdminTokenConfig {
  /** Unique name: the principal in the audit log and in the version history. */
  readonly name: string;
  /**
   * `sha256$<salt>$<hex digest>`: the salt (16-64 base64url characters) and the sha256 of salt
   * followed by the token, as printed by `weir token`.
   */
  readonly hash: string;
  /**
   * What the token may do: `"read"` (GET endpoints, validate, metrics), `"write"` (apply,
   * rollback), `"rollout"` (staged rollouts), `"admin"` (everything, including changes to this
   * `admin` section). At least one.
   */
  readonly scopes: readonly AdminScopeConfig[];
}

/** A scope of an admin token; see AdminTokenConfig.scopes. */
export type AdminScopeConfig = 'read' | 'write' | 'rollout' | 'admin';
