import type {
  CertificateSpec,
  ListenerSpec,
  RouteSpec,
  Spec,
  UpstreamSpec,
  EndpointSpec,
  MatchSpec,
  ForwardActionSpec,
  Http2Spec,
  UpgradesSpec,
} from '@weir/runtime';

/** Listener limits used by tests unless a test overrides them. */
export const TEST_LIMITS: ListenerSpec['limits'] = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 0,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  maxRequestsPerConnection: 0,
  maxConnections: 0,
};

/** HTTP/2 limits as the config defaults set them. */
export const TEST_HTTP2: Http2Spec = { maxConcurrentStreams: 100, initialWindowBytes: 65_535, maxResets: 200, resetWindowMs: 10_000 };

/** Upgrade tunnels as the config defaults set them (WebSocket allowed). */
export const TEST_UPGRADES: UpgradesSpec = { websocket: true, idleTimeoutMs: 300_000, maxLifetimeMs: 0 };

/** A plain HTTP/1.1 listener on 127.0.0.1, port 0 unless given. */
export function listener(name = 'main', overrides: Partial<ListenerSpec> = {}): ListenerSpec {
  return {
    name,
    address: '127.0.0.1',
    port: 0,
    limits: TEST_LIMITS,
    protocol: 'http1',
    tls: null,
    http2: TEST_HTTP2,
    httpsRedirect: null,
    ...overrides,
  };
}

/** A match on any host, method and header, with a prefix path (default `/`). */
export function match(overrides: Partial<MatchSpec> = {}): MatchSpec {
  return { hosts: [], path: { kind: 'prefix', value: '/' }, methods: [], headers: [], ...overrides };
}

/** A retry policy that never retries, for tests of other features. */
export const NO_RETRY: ForwardActionSpec['retry'] = {
  retries: 0,
  retryOn: { connectFailure: true, gatewayError: false, reset: true, retriableStatus: false, serverError: false },
  retriableStatuses: [],
  perTryTimeoutMs: 0,
  backoff: { baseMs: 25, maxMs: 250 },
  retryNonIdempotent: false,
  maxReplayBodyBytes: 65_536,
};

/** Route limits as the config defaults set them: none. */
export const NO_LIMITS: RouteSpec['limits'] = { rate: [], maxConcurrent: 0, maxBodyBytes: 0 };

/** A forwarding route to one or more upstreams (weight 1 each unless given). */
export function forwardRoute(
  name: string,
  split: string | readonly { upstream: string; weight: number }[],
  overrides: Partial<Omit<RouteSpec, 'action'>> & { requestTimeoutMs?: number } = {},
): RouteSpec {
  const { requestTimeoutMs, ...rest } = overrides;
  return {
    name,
    listeners: [],
    match: match(),
    upgrades: TEST_UPGRADES,
    httpsRedirect: null,
    plugins: [],
    limits: NO_LIMITS,
    tracingRatio: null,
    action: {
      cache: null,
      kind: 'forward',
      split: typeof split === 'string' ? [{ upstream: split, weight: 1 }] : split,
      requestTimeoutMs: requestTimeoutMs ?? 0,
      retry: NO_RETRY,
      totalTimeoutMs: 0,
      traffic: null,
    },
    ...rest,
  };
}

/** A direct-response route. */
export function directRoute(
  name: string,
  status: number,
  body: string,
  overrides: Partial<Omit<RouteSpec, 'action'>> & { headers?: readonly (readonly [string, string])[] } = {},
): RouteSpec {
  const { headers, ...rest } = overrides;
  return {
    name,
    listeners: [],
    match: match(),
    upgrades: TEST_UPGRADES,
    httpsRedirect: null,
    plugins: [],
    limits: NO_LIMITS,
    tracingRatio: null,
    action: { kind: 'direct', status, headers: headers ?? [['content-type', 'text/plain; charset=utf-8']], body },
    ...rest,
  };
}

/** An endpoint on 127.0.0.1. */
export function endpoint(port: number, weight = 1): EndpointSpec {
  return { address: `127.0.0.1:${port}`, host: '127.0.0.1', port, weight };
}

/** The spec's default circuit breaker (config defaults), for tests that do not exercise it. */
export const DEFAULT_BREAKER: UpstreamSpec['breaker'] = {
  maxConnections: 1024,
  maxPendingRequests: 1024,
  maxRequests: 1024,
  maxRetries: 1024,
  retryBudget: { percent: 20, minRetries: 3 },
  failureRatio: null,
};

/**
 * An upstream with test-friendly timeouts (overridable). Resilience defaults: round robin with
 * the 50% panic threshold, no active health checks, outlier detection off (so failures in
 * tests of other features never eject), the default breaker.
 */
export function upstream(
  name: string,
  ports: readonly number[],
  overrides: {
    timeouts?: Partial<UpstreamSpec['timeouts']>;
    pool?: Partial<UpstreamSpec['pool']>;
    balancer?: Partial<UpstreamSpec['balancer']>;
    healthCheck?: UpstreamSpec['healthCheck'];
    outlier?: UpstreamSpec['outlier'];
    breaker?: UpstreamSpec['breaker'];
    tls?: UpstreamSpec['tls'];
  } = {},
): UpstreamSpec {
  return {
    name,
    endpoints: ports.map((p) => endpoint(p)),
    timeouts: { connectMs: 2_000, requestMs: 10_000, idleMs: 10_000, ...overrides.timeouts },
    pool: { connections: 16, keepAliveMs: 4_000, ...overrides.pool },
    balancer: { policy: 'round_robin', hashOn: null, panicThresholdPercent: 50, ...overrides.balancer },
    healthCheck: overrides.healthCheck ?? null,
    outlier: overrides.outlier ?? null,
    breaker: overrides.breaker ?? DEFAULT_BREAKER,
    tls: overrides.tls ?? null,
  };
}

/** Tracing off: no propagation, no spans (the tests of other features see their headers untouched). */
export const NO_TRACING: Spec['tracing'] = {
  propagation: false,
  ratio: 1,
  parentBased: true,
  keepErrors: false,
  serviceName: 'weir',
  resourceAttributes: {},
  export: null,
};

let counter = 0;

/** A complete spec; `version` defaults to a fresh `v-test-N`. */
export function makeSpec(parts: {
  listeners?: readonly ListenerSpec[];
  routes?: readonly RouteSpec[];
  upstreams?: readonly UpstreamSpec[];
  certificates?: readonly CertificateSpec[];
  tracing?: Spec['tracing'];
  version?: string;
}): Spec {
  counter++;
  return {
    controlDigest: '',
    format: 1,
    version: parts.version ?? `v-test-${counter}`,
    hash: `hash-${counter}`,
    workers: 1,
    logging: { level: 'silent', accessLog: { enabled: false, path: 'stdout' } },
    server: { drainTimeoutMs: 5_000, paths: { mergeSlashes: true, escapedSlashes: 'reject' } },
    clientAddress: { trustedProxies: [], header: 'x-forwarded-for' },
    tracing: parts.tracing ?? NO_TRACING,
    listeners: parts.listeners ?? [listener()],
    routes: parts.routes ?? [],
    upstreams: parts.upstreams ?? [],
    certificates: parts.certificates ?? [],
  };
}

/** Outlier detection as the config defaults set it (no success-rate detector), for tests. */
export const TEST_OUTLIER: NonNullable<UpstreamSpec['outlier']> = {
  consecutive5xx: 5,
  consecutiveGatewayFailure: 3,
  consecutiveLocalOriginFailure: 2,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  successRate: null,
};
