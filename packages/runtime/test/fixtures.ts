import type { WeirConfig } from '@weir/config';

/** The smallest useful config: one listener, one route forwarding to one upstream. */
export function minimalConfig(): WeirConfig {
  return {
    listeners: [{ name: 'main', port: 8080 }],
    routes: [{ name: 'api', upstream: 'backend' }],
    upstreams: [{ name: 'backend', endpoints: [{ address: '127.0.0.1:9000' }] }],
  };
}

/** A config touching every field the spec carries, with nothing left to defaults. */
export function richConfig(): WeirConfig {
  return {
    $schema: './weir.schema.json',
    workers: 4,
    logging: { level: 'debug', accessLog: { enabled: true, path: '/var/log/weir/access.log' } },
    server: { drainTimeoutMs: 1234 },
    listeners: [
      {
        name: 'public',
        address: '0.0.0.0',
        port: 80,
        limits: { headersTimeoutMs: 1, requestTimeoutMs: 2, keepAliveTimeoutMs: 3, maxHeaderBytes: 4, maxRequestsPerConnection: 5 },
      },
      { name: 'internal', address: '::1', port: 8081 },
    ],
    routes: [
      {
        name: 'api',
        listeners: ['public'],
        match: {
          hosts: ['API.Example.com', '*.Example.ORG'],
          path: { prefix: '/api' },
          methods: ['get', 'Post'],
          headers: [
            { name: 'X-Present' },
            { name: 'X-Absent', absent: true },
            { name: 'X-Exact', exact: 'Yes' },
            { name: 'X-Prefix', prefix: 'pre' },
            { name: 'X-Regex', regex: '^a+$' },
          ],
        },
        split: [{ upstream: 'blue', weight: 90 }, { upstream: 'green' }],
        timeouts: { requestMs: 777 },
      },
      { name: 'exact', match: { path: { exact: '/health' } }, directResponse: { status: 200, body: 'ok' } },
      { name: 'regex', match: { path: { regex: '^/v[0-9]+/' } }, upstream: 'green' },
      {
        name: 'teapot',
        directResponse: { status: 418, body: '{}', headers: { 'X-B': '2', 'Content-Type': 'application/json', 'x-a': '1' } },
      },
      { name: 'empty', directResponse: { status: 204 } },
    ],
    upstreams: [
      {
        name: 'blue',
        endpoints: [{ address: '127.0.0.1:9001', weight: 3 }, { address: '[::1]:9002' }, { address: 'Backend.Example.com:80' }],
        timeouts: { connectMs: 11, requestMs: 22, idleMs: 33 },
        pool: { connections: 7, keepAliveMs: 8 },
      },
      { name: 'green', endpoints: [{ address: '127.0.0.2:9003' }] },
    ],
    'x-note': 'ignored',
  } as WeirConfig;
}

/** A deep copy of a JSON value with every object's keys in reverse order. */
export function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value).reverse();
  for (const key of keys) out[key] = reverseKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

/** The spec of a route without `retry` or `timeouts.totalMs`: the retry and total-timeout defaults. */
export const defaultRetryFields = {
  retry: {
    retries: 1,
    retryOn: { connectFailure: true, gatewayError: false, reset: true, retriableStatus: false, serverError: false },
    retriableStatuses: [],
    perTryTimeoutMs: 0,
    backoff: { baseMs: 25, maxMs: 250 },
    retryNonIdempotent: false,
    maxReplayBodyBytes: 65_536,
  },
  totalTimeoutMs: 0,
} as const;

/** The spec of an upstream without resilience settings: every issue-4 default. */
export const defaultResilienceFields = {
  balancer: { policy: 'round_robin', hashOn: null, panicThresholdPercent: 50 },
  healthCheck: null,
  outlier: {
    consecutive5xx: 5,
    consecutiveGatewayFailure: 5,
    consecutiveLocalOriginFailure: 5,
    intervalMs: 10_000,
    baseEjectionMs: 30_000,
    maxEjectionMs: 300_000,
    maxEjectionPercent: 10,
    successRate: null,
  },
  breaker: {
    maxConnections: 1024,
    maxPendingRequests: 1024,
    maxRequests: 1024,
    maxRetries: 1024,
    retryBudget: { percent: 20, minRetries: 3 },
    failureRatio: null,
  },
} as const;

/** The edge fields (issue 8) of a listener built without any of them: plain HTTP/1.1. */
export const defaultListenerEdgeFields = {
  protocol: 'http1',
  tls: null,
  http2: { maxConcurrentStreams: 100, initialWindowBytes: 65_535, maxResets: 200, resetWindowMs: 10_000 },
  httpsRedirect: null,
} as const;

/** The edge fields of a route built without any of them: WebSocket allowed, no redirect. */
export const defaultRouteEdgeFields = {
  upgrades: { websocket: true, idleTimeoutMs: 300_000, maxLifetimeMs: 0 },
  httpsRedirect: null,
  plugins: [],
  limits: { rate: [], maxConcurrent: 0, maxBodyBytes: 0 },
  tracingRatio: null,
} as const;
