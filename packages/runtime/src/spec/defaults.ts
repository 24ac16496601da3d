import { deepFreeze } from './deep-freeze';

/**
 * Every default of the config, in one table (STYLE.md rule 4). `buildSpec` reads its defaults
 * from here and nowhere else, and `test/spec/config-defaults.test.ts` checks the table against
 * the "Default `…`" doc comments of `@weir/config`'s `types/*.ts`, in both directions, so a
 * default cannot change in one place only.
 *
 * Keys are the config interfaces in camelCase without the `Config` suffix (`listenerLimits` is
 * `ListenerLimitsConfig`, `weir` is `WeirConfig`); each value holds that interface's defaulted
 * fields under the same field names. The one entry that is not a field value is
 * `directResponse.contentType`: the content-type added when a direct response has a body and no
 * content-type header of its own.
 *
 * The table is deep-frozen: it is shared by every build.
 */
export const configDefaults = deepFreeze({
  weir: {
    /** One worker per core; the spec stores it as `0` and the primary resolves it. */
    workers: 'auto',
  },
  logging: {
    level: 'info',
  },
  accessLog: {
    enabled: false,
    path: 'stdout',
  },
  server: {
    drainTimeoutMs: 30_000,
    regexMaxProgramSize: 100,
    watchdogTimeoutMs: 5_000,
  },
  listener: {
    address: '127.0.0.1',
    protocol: 'http1',
  },
  listenerTls: {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    /** Mozilla's "intermediate" TLS 1.2 list (ECDHE + AEAD) after the three TLS 1.3 suites. */
    ciphers:
      'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:' +
      'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
      'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305',
    ecdhCurves: 'X25519:P-256:P-384',
    alpn: ['h2', 'http/1.1'],
    handshakeTimeoutMs: 10_000,
  },
  clientAuth: {
    required: true,
  },
  http2: {
    maxConcurrentStreams: 100,
    initialWindowBytes: 65_535,
    maxResets: 200,
    resetWindowMs: 10_000,
  },
  httpsRedirect: {
    port: 443,
    status: 308,
  },
  routeUpgrades: {
    websocket: true,
    idleTimeoutMs: 300_000,
    maxLifetimeMs: 0,
  },
  upstreamTls: {
    verify: true,
    minVersion: 'TLSv1.2',
  },
  listenerLimits: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 0,
    keepAliveTimeoutMs: 5_000,
    maxHeaderBytes: 16_384,
    maxRequestsPerConnection: 0,
    maxConnections: 0,
  },
  headerMatch: {
    absent: false,
  },
  split: {
    weight: 1,
  },
  directResponse: {
    body: '',
    contentType: 'text/plain; charset=utf-8',
  },
  endpoint: {
    weight: 1,
  },
  upstreamTimeouts: {
    connectMs: 5_000,
    requestMs: 30_000,
    idleMs: 60_000,
  },
  pool: {
    connections: 256,
    keepAliveMs: 4_000,
  },
  admin: {
    enabled: true,
    tokens: [],
    maxBodyBytes: 10_485_760,
    allowedHosts: [],
    console: true,
  },
  adminListen: {
    address: '127.0.0.1',
    port: 9901,
  },
  routeTimeouts: {
    totalMs: 0,
  },
  retry: {
    retries: 1,
    retryOn: ['connect-failure', 'reset'],
    retriableStatuses: [],
    perTryTimeoutMs: 0,
    retryNonIdempotent: false,
    maxReplayBodyBytes: 65_536,
  },
  retryBackoff: {
    baseMs: 25,
    maxMs: 250,
  },
  balancer: {
    policy: 'round_robin',
    panicThresholdPercent: 50,
  },
  healthCheck: {
    path: '/healthz',
    intervalMs: 5_000,
    jitterMs: 500,
    timeoutMs: 2_000,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
    expectedStatuses: [[200, 399]],
    initialState: 'unhealthy',
  },
  outlierDetection: {
    enabled: true,
    consecutive5xx: 5,
    consecutiveGatewayFailure: 5,
    consecutiveLocalOriginFailure: 5,
    intervalMs: 10_000,
    baseEjectionMs: 30_000,
    maxEjectionMs: 300_000,
    maxEjectionPercent: 10,
  },
  successRate: {
    minimumHosts: 5,
    requestVolume: 100,
    stdevFactor: 1.9,
  },
  circuitBreaker: {
    maxConnections: 1_024,
    maxPendingRequests: 1_024,
    maxRequests: 1_024,
    maxRetries: 1_024,
  },
  retryBudget: {
    percent: 20,
    minRetries: 3,
  },
  failureRatio: {
    threshold: 0.5,
    minimumRequests: 20,
    windowMs: 10_000,
    openMs: 5_000,
    halfOpenProbes: 3,
  },
  /** `server.paths`: the request path policy (issue 9). */
  paths: {
    mergeSlashes: true,
    escapedSlashes: 'reject',
  },
  /** `clientAddress`; `trustedProxies` defaults to none. */
  clientAddress: {
    header: 'x-forwarded-for',
  },
  /** `routes[].limits.rate[]`; `name` defaults to `<route>-<index>` and `burst` to `ceil(rate)`. */
  rateLimit: {
    per: 'second',
    key: { kind: 'clientAddress' },
    scope: 'host',
  },
  redirectPlugin: {
    status: 302,
  },
  requestIdPlugin: {
    header: 'x-request-id',
    propagate: true,
    useTraceId: false,
  },
  corsPlugin: {
    allowMethods: ['GET', 'HEAD', 'POST'],
    allowCredentials: false,
    maxAgeSeconds: 600,
  },
  basicAuthPlugin: {
    realm: 'weir',
  },
  apiKeyPlugin: {
    header: 'x-api-key',
  },
  jwtPlugin: {
    /** Every asymmetric algorithm Weir accepts; HS* only when listed. */
    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'],
    jwksRefreshMs: 300_000,
    clockSkewSeconds: 60,
    header: 'authorization',
    stripToken: false,
  },
  /** `routes[].traffic.mirror` (issue 19). */
  mirror: {
    percent: 100,
    header: 'x-weir-mirror',
    maxBodyBytes: 65_536,
    maxInFlight: 100,
  },
  /**
   * `routes[].traffic.fault` (issue 19). Without `delay` (`abort`) the spec holds
   * `delayPercent: 0, delayMs: 0` (`abortPercent: 0, abortStatus: 0`): "none", not a default.
   */
  fault: {
    headerControlled: false,
    maxActiveDelays: 100,
  },
  /** `routes[].cache` (issue 10). */
  cache: {
    maxBytes: 67_108_864,
    maxObjectBytes: 1_048_576,
    keyHeaders: [],
    storeSetCookie: false,
    heuristicPercent: 10,
    maxHeuristicSeconds: 86_400,
    collapseTimeoutMs: 10_000,
  },
  /**
   * Control plane only (Redis of `scope: "global"` rate limits); not part of the spec, only of
   * its `controlDigest`: the workers never hold Redis credentials.
   */
  globalLimits: {
    database: 0,
    keyPrefix: 'weir:rl:',
    timeoutMs: 250,
    onRedisFailure: 'open',
  },
  /** `tracing` (issue 18). */
  tracing: {
    propagation: true,
    serviceName: 'weir',
  },
  /** `tracing.sampling` (issue 18). */
  tracingSampling: {
    ratio: 1,
    parentBased: true,
    keepErrors: false,
  },
  /** `tracing.export` (issue 18). */
  tracingExport: {
    timeoutMs: 10_000,
    maxQueueSpans: 2048,
    maxBatchSpans: 512,
    flushIntervalMs: 1000,
  },
  /** Control plane only (the primary's state directory); not part of the spec. */
  state: {
    historySize: 20,
  },
  /** Control plane only (the bundle puller); not part of the spec, only of its `controlDigest`. */
  pull: {
    intervalMs: 30_000,
    jitterMs: 3_000,
    maxBackoffMs: 300_000,
    timeoutMs: 10_000,
    maxBytes: 16_777_216,
    threshold: 1,
    mode: 'apply',
  },
} as const);

/** The type of {@link configDefaults}. */
export type ConfigDefaults = typeof configDefaults;
