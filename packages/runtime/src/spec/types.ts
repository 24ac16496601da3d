/**
 * The snapshot spec: the only contract between the control plane and the data plane.
 *
 * `buildSpec(config)` produces it in the primary: plain data, every default filled in, names
 * resolved, with a version id and a content hash. It crosses IPC as msgpackr bytes; workers
 * `assemble` their runtime from it and never see the config. A spec is immutable once built.
 */
import type { ClientAddressSpec, PathsSpec, PluginSpec, RouteLimitsSpec } from './policy';
import type { TrafficSpec } from './traffic';
import type { CacheSpec } from './cache';
import type { TracingSpec } from './tracing';

export type * from './policy';
export type * from './traffic';
export type * from './cache';
export type * from './tracing';
export interface Spec {
  /** Spec format version; a worker rejects a spec whose format it does not know. */
  readonly format: 1;
  /** Version id shown to operators (`v-` + first 12 hex digits of `hash` unless given). */
  readonly version: string;
  /** sha256 (hex) over the canonical encoding of every field except `version` and `hash`. */
  readonly hash: string;
  /** Worker count; 0 means one per core (the primary resolves it). */
  readonly workers: number;
  readonly logging: LoggingSpec;
  readonly server: ServerSpec;
  readonly listeners: readonly ListenerSpec[];
  /** Routes in config order. */
  readonly routes: readonly RouteSpec[];
  /** Upstreams in config order. */
  readonly upstreams: readonly UpstreamSpec[];
  /** Certificates in config order, their PEM text read at build time (issue 8). */
  readonly certificates: readonly CertificateSpec[];
  /** How the client address is resolved behind trusted proxies (config `clientAddress`). */
  readonly clientAddress: ClientAddressSpec;
  /** Trace context and span export (config `tracing`, defaults filled in). */
  readonly tracing: TracingSpec;
  /**
   * sha256 (hex) over the canonical JSON of the config sections only the primary reads, as
   * `{ admin, globalLimits, pull }` (an absent `admin` written as `{}`, the other two only when
   * present; see `controlDigest`). Workers ignore it; it is here so that a
   * change to those sections alone changes the spec hash, hence the version id, and is recorded
   * as a version of its own, while the workers never see tokens or other primary-only settings.
   */
  readonly controlDigest: string;
}

export type LogLevelSpec = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggingSpec {
  readonly level: LogLevelSpec;
  readonly accessLog: { readonly enabled: boolean; readonly path: string };
}

export interface ServerSpec {
  readonly drainTimeoutMs: number;
  /** The request path policy (config `server.paths`). */
  readonly paths: PathsSpec;
}

export interface ListenerSpec {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly limits: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxHeaderBytes: number;
    readonly maxRequestsPerConnection: number;
    /** Per worker; 0 = unlimited. */
    readonly maxConnections: number;
  };
  /**
   * What the socket speaks: `http1` (plain HTTP/1.1), `h2c` (plain HTTP/2, prior knowledge) or
   * `tls` (HTTPS; h2 and/or HTTP/1.1 by ALPN, see `tls.alpn`). Part of the listener's socket
   * identity (`listenerKey`): a change of protocol opens a new server.
   */
  readonly protocol: 'http1' | 'h2c' | 'tls';
  /** Non-null exactly when `protocol` is `tls`. */
  readonly tls: ListenerTlsSpec | null;
  /** HTTP/2 limits, filled in for every listener (used when it speaks h2). */
  readonly http2: Http2Spec;
  /** Plain listeners: every request is redirected to HTTPS instead of routed; null = none. */
  readonly httpsRedirect: HttpsRedirectSpec | null;
}

/** A certificate of the store: PEM text as read from the config's files when the spec was built. */
export interface CertificateSpec {
  readonly name: string;
  /** Leaf first, then intermediates. */
  readonly certPem: string;
  readonly keyPem: string;
  /** Lower-cased exact names and `*.` wildcards (config `serverNames`, else the leaf's SANs). */
  readonly serverNames: readonly string[];
  /** The leaf's notAfter, milliseconds since the epoch (the expiry metric). */
  readonly notAfter: number;
}

export interface ListenerTlsSpec {
  /** Certificate names (entries of `Spec.certificates`), in config order. */
  readonly certificates: readonly string[];
  readonly defaultCertificate: string;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly ciphers: string;
  readonly ecdhCurves: string;
  /** Non-empty, preference order. */
  readonly alpn: readonly ('h2' | 'http/1.1')[];
  /** null = no client certificate asked for. */
  readonly clientAuth: { readonly caPem: string; readonly required: boolean } | null;
  readonly handshakeTimeoutMs: number;
}

export interface Http2Spec {
  readonly maxConcurrentStreams: number;
  readonly initialWindowBytes: number;
  readonly maxResets: number;
  readonly resetWindowMs: number;
}

export interface HttpsRedirectSpec {
  /** The HTTPS port; 443 is left out of the Location. */
  readonly port: number;
  readonly status: 301 | 302 | 307 | 308;
}

/** Upgrade tunnels of a route. */
export interface UpgradesSpec {
  readonly websocket: boolean;
  readonly idleTimeoutMs: number;
  /** 0 = no limit. */
  readonly maxLifetimeMs: number;
}

/** TLS to an upstream's endpoints; PEM text read at build time. */
export interface UpstreamTlsSpec {
  /** null = Node's bundled public roots. */
  readonly caPem: string | null;
  /** SNI and the name verified; null = the endpoint's host (no SNI for an IP). */
  readonly serverName: string | null;
  readonly verify: boolean;
  /** Client certificate and key; both null or both set. */
  readonly certPem: string | null;
  readonly keyPem: string | null;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
}

export interface RouteSpec {
  readonly name: string;
  /** Listener names; empty = every listener. */
  readonly listeners: readonly string[];
  readonly match: MatchSpec;
  readonly action: ActionSpec;
  /** Upgrade (WebSocket) tunnels; only `forward` routes open them. */
  readonly upgrades: UpgradesSpec;
  /** Requests on plain listeners get this redirect to HTTPS instead of the action; null = none. */
  readonly httpsRedirect: HttpsRedirectSpec | null;
  /** Request plugins in config order; empty = none (the route pays nothing). */
  readonly plugins: readonly PluginSpec[];
  /** Rate, concurrency and body limits (config `limits`, defaults filled in). */
  readonly limits: RouteLimitsSpec;
  /** Share of new traces sampled on this route (config `tracing.ratio`); null = `tracing.ratio`. */
  readonly tracingRatio: number | null;
}

export interface MatchSpec {
  /** Lower-cased host patterns; empty = any host. Wildcards keep their `*.` prefix. */
  readonly hosts: readonly string[];
  readonly path: PathMatchSpec;
  /** Upper-cased methods; empty = any. */
  readonly methods: readonly string[];
  readonly headers: readonly HeaderMatchSpec[];
}

export type PathMatchSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'regex'; readonly value: string };

export type HeaderMatchSpec =
  | { readonly name: string; readonly kind: 'present' }
  | { readonly name: string; readonly kind: 'absent' }
  | { readonly name: string; readonly kind: 'exact' | 'prefix' | 'regex'; readonly value: string };

export type ActionSpec = ForwardActionSpec | DirectActionSpec;

export interface ForwardActionSpec {
  readonly kind: 'forward';
  /** At least one entry; weights are positive integers. */
  readonly split: readonly { readonly upstream: string; readonly weight: number }[];
  /** Route override of the upstream's requestMs; 0 = use the upstream's. */
  readonly requestTimeoutMs: number;
  /** Retry policy (config `retry`, defaults filled in). */
  readonly retry: RetrySpec;
  /**
   * Overall time from the request's arrival until the response headers of the final attempt,
   * covering every retry and backoff; 0 = none (config `timeouts.totalMs`).
   */
  readonly totalTimeoutMs: number;
  /** Overrides, sticky key, mirror and faults (config `traffic`); null = none of them. */
  readonly traffic: TrafficSpec | null;
  /** The route's response cache (config `cache`); null = no caching. */
  readonly cache: CacheSpec | null;
}

/** A route's retry policy; see the config's RetryConfig for the semantics of each field. */
export interface RetrySpec {
  /** Retries after the first attempt; 0 = never retry. */
  readonly retries: number;
  /** The config's `retryOn` set as flags, so a decision reads a field instead of searching. */
  readonly retryOn: RetryOnSpec;
  /** Sorted ascending, unique; non-empty exactly when `retryOn.retriableStatus`. */
  readonly retriableStatuses: readonly number[];
  /** Per-attempt bound until response headers; 0 = none beyond requestMs. */
  readonly perTryTimeoutMs: number;
  /** Full-jitter exponential backoff: retry n waits random [0, min(maxMs, baseMs * 2^(n-1))]. */
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly retryNonIdempotent: boolean;
  /** Largest request body kept for replay; 0 = never replay a body. */
  readonly maxReplayBodyBytes: number;
}

/** Which failures are retried (config `retryOn`, one flag per value). */
export interface RetryOnSpec {
  /** `"connect-failure"`: refused, unreachable, connect timeout. */
  readonly connectFailure: boolean;
  /** `"gateway-error"`: 502, 503, 504 and the per-try timeout. */
  readonly gatewayError: boolean;
  /** `"reset"`: connection reset or closed before a response. */
  readonly reset: boolean;
  /** `"retriable-status"`: a status in `retriableStatuses`. */
  readonly retriableStatus: boolean;
  /** `"5xx"`: any 5xx and the per-try timeout. */
  readonly serverError: boolean;
}

export interface DirectActionSpec {
  readonly kind: 'direct';
  readonly status: number;
  /**
   * Header pairs, names lower-cased, sorted by name then value (content-type defaulted). Sorted
   * rather than in config order because the config holds them in a JSON object, whose key order
   * must not change the spec hash; header order carries no meaning in HTTP across names.
   */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface UpstreamSpec {
  readonly name: string;
  readonly endpoints: readonly EndpointSpec[];
  readonly timeouts: { readonly connectMs: number; readonly requestMs: number; readonly idleMs: number };
  readonly pool: { readonly connections: number; readonly keepAliveMs: number };
  /** Endpoint selection policy (config `balancer`). */
  readonly balancer: BalancerSpec;
  /** Active health checks, run by the primary; null = none (every endpoint is healthy). */
  readonly healthCheck: HealthCheckSpec | null;
  /** Passive outlier detection, per worker; null = disabled (config `enabled: false`). */
  readonly outlier: OutlierSpec | null;
  /** Concurrency limits, retry budget and failure-ratio breaker (config `circuitBreaker`). */
  readonly breaker: BreakerSpec;
  /** TLS to the endpoints (https); null = plain HTTP. */
  readonly tls: UpstreamTlsSpec | null;
}

export type BalancerPolicySpec = 'round_robin' | 'least_request' | 'random' | 'ring_hash' | 'maglev';

export interface BalancerSpec {
  readonly policy: BalancerPolicySpec;
  /** Non-null exactly for `ring_hash` and `maglev`. */
  readonly hashOn: HashOnSpec | null;
  /** 0-100; 0 = never panic. */
  readonly panicThresholdPercent: number;
}

/** The hash key of a consistent-hashing policy. Header names are lower-cased. */
export type HashOnSpec =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string }
  | { readonly kind: 'clientAddress' };

export interface HealthCheckSpec {
  /** Request path with optional query, starting with `/`. */
  readonly path: string;
  readonly intervalMs: number;
  /** 0 = no jitter. */
  readonly jitterMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** Inclusive `[low, high]` status ranges, in config order. */
  readonly expectedStatuses: readonly (readonly [number, number])[];
  readonly initialState: 'healthy' | 'unhealthy';
}

export interface OutlierSpec {
  /** 0 = detector disabled (also for the two below). */
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly consecutiveLocalOriginFailure: number;
  readonly intervalMs: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionMs: number;
  /** 0-100, rounded down but at least one endpoint. */
  readonly maxEjectionPercent: number;
  /** null = success-rate ejection off. */
  readonly successRate: {
    readonly minimumHosts: number;
    readonly requestVolume: number;
    readonly stdevFactor: number;
  } | null;
}

export interface BreakerSpec {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
  /** Retries in flight <= max(minRetries, percent% of requests in flight). */
  readonly retryBudget: { readonly minRetries: number; readonly percent: number };
  /** null = failure-ratio breaker off. */
  readonly failureRatio: {
    readonly halfOpenProbes: number;
    readonly minimumRequests: number;
    readonly openMs: number;
    readonly threshold: number;
    readonly windowMs: number;
  } | null;
}

export interface EndpointSpec {
  /** `host:port` as written (IPv6 bracketed). */
  readonly address: string;
  /** Host without brackets. */
  readonly host: string;
  readonly port: number;
  readonly weight: number;
}
