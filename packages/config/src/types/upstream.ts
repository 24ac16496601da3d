/** Upstreams of the Weir config: endpoints, balancing, health, outlier detection, breakers. */

import type { UpstreamTlsConfig } from './edge';

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
  /** TLS to the endpoints (https). Default: plain HTTP. */
  readonly tls?: UpstreamTlsConfig;
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
   * Longest silence while streaming a body in either direction; expiry aborts the exchange:
   * a stalled request body gets 408 WEIR_ERR_CLIENT_BODY_TIMEOUT (connection closed), a stalled
   * response body is cut (WEIR_ERR_UPSTREAM_IDLE_TIMEOUT). Default `60000`.
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
