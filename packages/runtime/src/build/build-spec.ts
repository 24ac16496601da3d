import type {
  BalancerConfig,
  CircuitBreakerConfig,
  DirectResponseConfig,
  HealthCheckConfig,
  HeaderMatchConfig,
  OutlierDetectionConfig,
  RetryConfig,
  ListenerConfig,
  MatchConfig,
  PathMatchConfig,
  RouteConfig,
  SplitConfig,
  UpstreamConfig,
  WeirConfig,
  TlsMaterial,
} from '@weir/config';
import { WeirError } from '@weir/errors';
import { configDefaults, deepFreeze, specHash } from '../spec/index';
import type {
  ActionSpec,
  BalancerSpec,
  BreakerSpec,
  EndpointSpec,
  HealthCheckSpec,
  OutlierSpec,
  RetrySpec,
  HeaderMatchSpec,
  ListenerSpec,
  MatchSpec,
  PathMatchSpec,
  RouteSpec,
  Spec,
  UpstreamSpec,
} from '../spec/index';
import { controlDigest } from './control-digest';
import { parseEndpoint } from './parse-endpoint';
import {
  buildCertificate,
  buildHttp2,
  buildHttpsRedirect,
  buildListenerTls,
  buildUpgrades,
  buildUpstreamTls,
} from './build-edge';
import { buildClientAddress, buildPaths, buildRouteLimits } from './build-policy';
import { buildPlugins } from './build-plugins';
import { buildTraffic } from './build-traffic';
import { buildCache } from './build-cache';
import { buildTracing } from './build-tracing';

/** Options of {@link buildSpec}. */
export interface BuildSpecOptions {
  /**
   * Version id to show operators (a rollout or bundle revision, say). Default:
   * `'v-' + hash.slice(0, 12)`. It is not part of the hash, so renaming a version never makes
   * two identical configs look different.
   */
  readonly version?: string;
  /**
   * The PEM text of the files the config's TLS settings name (`loadTlsMaterial` from
   * `@weir/config`). Default: none, which suits only a config without TLS settings.
   */
  readonly tls?: TlsMaterial;
}

const d = configDefaults;

/** Material of a config without TLS settings (`@weir/config` is imported for types only). */
const NO_TLS_MATERIAL: TlsMaterial = { files: new Map(), leaves: new Map() };

/**
 * Turn a validated config into a snapshot spec: every default filled in from `configDefaults`,
 * names normalised (hosts and header names lower-cased, methods upper-cased), `upstream`
 * shorthand turned into a one-entry split, endpoints parsed, a content hash and a version id
 * attached. The result is deep-frozen and shares no object with the config.
 *
 * Pure: no I/O, no clock, no randomness, so it runs in a piscina thread and the same config
 * always gives the same hash (key order in the config JSON does not matter; see `specHash`).
 *
 * It trusts validation (`@weir/config`) and re-checks nothing it does not need. Three facts it
 * must read to build at all are checked and throw WEIR_ERR_CONFIG_INVALID with the JSON pointer:
 * a route with other than exactly one action, an endpoint address without `host:port`, and a
 * traffic override naming an upstream outside its route's split.
 */
export function buildSpec(config: WeirConfig, options: BuildSpecOptions = {}): Spec {
  const logging = config.logging;
  const accessLog = logging?.accessLog;
  // Every object literal in this file lists its keys in sorted order: canonicalJSON then
  // hashes with native JSON.stringify (see spec/canonical-json.ts). The order is not a
  // contract; a key out of order only makes hashing slower. A test guards it.
  const material = options.tls ?? NO_TLS_MATERIAL;
  const body = {
    certificates: (config.certificates ?? []).map((c, i) => buildCertificate(c, i, material)),
    clientAddress: buildClientAddress(config.clientAddress),
    controlDigest: controlDigest(config),
    format: 1 as const,
    hash: '',
    listeners: config.listeners.map((l, i) => buildListener(l, i, material)),
    logging: {
      accessLog: {
        enabled: accessLog?.enabled ?? d.accessLog.enabled,
        path: accessLog?.path ?? d.accessLog.path,
      },
      level: logging?.level ?? d.logging.level,
    },
    routes: config.routes.map(buildRoute),
    server: {
      drainTimeoutMs: config.server?.drainTimeoutMs ?? d.server.drainTimeoutMs,
      paths: buildPaths(config.server?.paths),
    },
    tracing: buildTracing(config.tracing),
    upstreams: (config.upstreams ?? []).map((u, i) => buildUpstream(u, i, material)),
    version: '',
    workers: buildWorkers(config.workers ?? d.weir.workers),
  };
  const hash = specHash(body);
  body.hash = hash;
  body.version = options.version ?? 'v-' + hash.slice(0, 12);
  return deepFreeze(body);
}

function buildWorkers(workers: number | 'auto'): number {
  return workers === 'auto' ? 0 : workers;
}

function buildListener(listener: ListenerConfig, index: number, material: TlsMaterial): ListenerSpec {
  const limits = listener.limits;
  const l = d.listenerLimits;
  const tls = buildListenerTls(listener, index, material);
  return {
    address: listener.address ?? d.listener.address,
    http2: buildHttp2(listener.http2),
    httpsRedirect: buildHttpsRedirect(listener.httpsRedirect),
    limits: {
      headersTimeoutMs: limits?.headersTimeoutMs ?? l.headersTimeoutMs,
      keepAliveTimeoutMs: limits?.keepAliveTimeoutMs ?? l.keepAliveTimeoutMs,
      maxConnections: limits?.maxConnections ?? l.maxConnections,
      maxHeaderBytes: limits?.maxHeaderBytes ?? l.maxHeaderBytes,
      maxRequestsPerConnection: limits?.maxRequestsPerConnection ?? l.maxRequestsPerConnection,
      requestTimeoutMs: limits?.requestTimeoutMs ?? l.requestTimeoutMs,
    },
    name: listener.name,
    port: listener.port,
    protocol: tls !== null ? 'tls' : (listener.protocol ?? d.listener.protocol),
    tls,
  };
}

function buildRoute(route: RouteConfig, index: number): RouteSpec {
  return {
    action: buildAction(route, index),
    httpsRedirect: buildHttpsRedirect(route.httpsRedirect),
    limits: buildRouteLimits(route),
    listeners: route.listeners === undefined ? [] : route.listeners.slice(),
    match: buildMatch(route.match),
    name: route.name,
    plugins: buildPlugins(route.plugins),
    tracingRatio: route.tracing?.ratio ?? null,
    upgrades: buildUpgrades(route.upgrades),
  };
}

function buildMatch(match: MatchConfig | undefined): MatchSpec {
  return {
    headers: (match?.headers ?? []).map(buildHeaderMatch),
    hosts: (match?.hosts ?? []).map(toLowerCase),
    methods: (match?.methods ?? []).map(toUpperCase),
    path: buildPath(match?.path),
  };
}

function buildPath(path: PathMatchConfig | undefined): PathMatchSpec {
  if (path?.exact !== undefined) return { kind: 'exact', value: path.exact };
  if (path?.prefix !== undefined) return { kind: 'prefix', value: path.prefix };
  if (path?.regex !== undefined) return { kind: 'regex', value: path.regex };
  return { kind: 'any' };
}

function buildHeaderMatch(header: HeaderMatchConfig): HeaderMatchSpec {
  const name = header.name.toLowerCase();
  if (header.absent ?? d.headerMatch.absent) return { kind: 'absent', name };
  if (header.exact !== undefined) return { kind: 'exact', name, value: header.exact };
  if (header.prefix !== undefined) return { kind: 'prefix', name, value: header.prefix };
  if (header.regex !== undefined) return { kind: 'regex', name, value: header.regex };
  return { kind: 'present', name };
}

function buildAction(route: RouteConfig, index: number): ActionSpec {
  const actions = (route.upstream !== undefined ? 1 : 0) + (route.split !== undefined ? 1 : 0) + (route.directResponse !== undefined ? 1 : 0);
  if (actions !== 1) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `route "${route.name}" needs exactly one of upstream, split, directResponse`, {
      pointer: `/routes/${index}`,
    });
  }
  if (route.directResponse !== undefined) return buildDirect(route.directResponse);
  const split =
    route.upstream !== undefined
      ? [{ upstream: route.upstream, weight: d.split.weight }]
      : (route.split as readonly SplitConfig[]).map((s) => ({ upstream: s.upstream, weight: s.weight ?? d.split.weight }));
  return {
    cache: buildCache(route),
    kind: 'forward',
    requestTimeoutMs: route.timeouts?.requestMs ?? 0,
    retry: buildRetry(route.retry),
    split,
    totalTimeoutMs: route.timeouts?.totalMs ?? d.routeTimeouts.totalMs,
    traffic: buildTraffic(route, index, split),
  };
}

function buildRetry(retry: RetryConfig | undefined): RetrySpec {
  const r = d.retry;
  const on: readonly string[] = retry?.retryOn ?? r.retryOn;
  return {
    backoff: {
      baseMs: retry?.backoff?.baseMs ?? d.retryBackoff.baseMs,
      maxMs: retry?.backoff?.maxMs ?? d.retryBackoff.maxMs,
    },
    maxReplayBodyBytes: retry?.maxReplayBodyBytes ?? r.maxReplayBodyBytes,
    perTryTimeoutMs: retry?.perTryTimeoutMs ?? r.perTryTimeoutMs,
    retriableStatuses: (retry?.retriableStatuses ?? r.retriableStatuses).slice().sort(compareNumbers),
    retries: retry?.retries ?? r.retries,
    retryNonIdempotent: retry?.retryNonIdempotent ?? r.retryNonIdempotent,
    retryOn: {
      connectFailure: on.includes('connect-failure'),
      gatewayError: on.includes('gateway-error'),
      reset: on.includes('reset'),
      retriableStatus: on.includes('retriable-status'),
      serverError: on.includes('5xx'),
    },
  };
}

function compareNumbers(a: number, b: number): number {
  return a - b;
}

function buildDirect(direct: DirectResponseConfig): ActionSpec {
  const body = direct.body ?? d.directResponse.body;
  const headers: [string, string][] = [];
  let hasContentType = false;
  const source = direct.headers ?? {};
  const names = Object.keys(source);
  for (let i = 0; i < names.length; i++) {
    const raw = names[i] as string;
    const name = raw.toLowerCase();
    if (name === 'content-type') hasContentType = true;
    headers.push([name, source[raw] as string]);
  }
  if (body !== '' && !hasContentType) headers.push(['content-type', d.directResponse.contentType]);
  headers.sort(comparePairs);
  return { body, headers, kind: 'direct', status: direct.status };
}

function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

function buildUpstream(upstream: UpstreamConfig, index: number, material: TlsMaterial): UpstreamSpec {
  const t = upstream.timeouts;
  const p = upstream.pool;
  return {
    balancer: buildBalancer(upstream.balancer),
    breaker: buildBreaker(upstream.circuitBreaker),
    endpoints: upstream.endpoints.map((endpoint, j): EndpointSpec => {
      const parsed = parseEndpoint(endpoint.address);
      if (parsed === null) {
        throw new WeirError('WEIR_ERR_CONFIG_INVALID', `endpoint address "${endpoint.address}" is not host:port`, {
          pointer: `/upstreams/${index}/endpoints/${j}/address`,
        });
      }
      return { address: endpoint.address, host: parsed.host, port: parsed.port, weight: endpoint.weight ?? d.endpoint.weight };
    }),
    healthCheck: buildHealthCheck(upstream.healthCheck),
    name: upstream.name,
    outlier: buildOutlier(upstream.outlierDetection),
    pool: {
      connections: p?.connections ?? d.pool.connections,
      keepAliveMs: p?.keepAliveMs ?? d.pool.keepAliveMs,
    },
    timeouts: {
      connectMs: t?.connectMs ?? d.upstreamTimeouts.connectMs,
      idleMs: t?.idleMs ?? d.upstreamTimeouts.idleMs,
      requestMs: t?.requestMs ?? d.upstreamTimeouts.requestMs,
    },
    tls: buildUpstreamTls(upstream.tls, index, material),
  };
}

function buildBalancer(balancer: BalancerConfig | undefined): BalancerSpec {
  const policy = balancer?.policy ?? d.balancer.policy;
  const on = balancer?.hashOn;
  const hashing = policy === 'ring_hash' || policy === 'maglev';
  let hashOn: BalancerSpec['hashOn'] = null;
  // Validation guarantees exactly one key with a hashing policy; the order here only matters
  // for a config that skipped validation.
  if (hashing && on?.header !== undefined) hashOn = { kind: 'header', name: on.header.toLowerCase() };
  else if (hashing && on?.cookie !== undefined) hashOn = { kind: 'cookie', name: on.cookie };
  else if (hashing) hashOn = { kind: 'clientAddress' };
  return {
    hashOn,
    panicThresholdPercent: balancer?.panicThresholdPercent ?? d.balancer.panicThresholdPercent,
    policy,
  };
}

function buildHealthCheck(check: HealthCheckConfig | undefined): HealthCheckSpec | null {
  if (check === undefined) return null;
  const h = d.healthCheck;
  return {
    expectedStatuses: (check.expectedStatuses ?? h.expectedStatuses).map((range): readonly [number, number] => [range[0], range[1]]),
    healthyThreshold: check.healthyThreshold ?? h.healthyThreshold,
    initialState: check.initialState ?? h.initialState,
    intervalMs: check.intervalMs ?? h.intervalMs,
    jitterMs: check.jitterMs ?? h.jitterMs,
    path: check.path ?? h.path,
    timeoutMs: check.timeoutMs ?? h.timeoutMs,
    unhealthyThreshold: check.unhealthyThreshold ?? h.unhealthyThreshold,
  };
}

function buildOutlier(outlier: OutlierDetectionConfig | undefined): OutlierSpec | null {
  const o = d.outlierDetection;
  if (!(outlier?.enabled ?? o.enabled)) return null;
  const rate = outlier?.successRate;
  const sr = d.successRate;
  return {
    baseEjectionMs: outlier?.baseEjectionMs ?? o.baseEjectionMs,
    consecutive5xx: outlier?.consecutive5xx ?? o.consecutive5xx,
    consecutiveGatewayFailure: outlier?.consecutiveGatewayFailure ?? o.consecutiveGatewayFailure,
    consecutiveLocalOriginFailure: outlier?.consecutiveLocalOriginFailure ?? o.consecutiveLocalOriginFailure,
    intervalMs: outlier?.intervalMs ?? o.intervalMs,
    maxEjectionMs: outlier?.maxEjectionMs ?? o.maxEjectionMs,
    maxEjectionPercent: outlier?.maxEjectionPercent ?? o.maxEjectionPercent,
    successRate:
      rate === undefined
        ? null
        : {
            minimumHosts: rate.minimumHosts ?? sr.minimumHosts,
            requestVolume: rate.requestVolume ?? sr.requestVolume,
            stdevFactor: rate.stdevFactor ?? sr.stdevFactor,
          },
  };
}

function buildBreaker(breaker: CircuitBreakerConfig | undefined): BreakerSpec {
  const c = d.circuitBreaker;
  const ratio = breaker?.failureRatio;
  const f = d.failureRatio;
  return {
    failureRatio:
      ratio === undefined
        ? null
        : {
            halfOpenProbes: ratio.halfOpenProbes ?? f.halfOpenProbes,
            minimumRequests: ratio.minimumRequests ?? f.minimumRequests,
            openMs: ratio.openMs ?? f.openMs,
            threshold: ratio.threshold ?? f.threshold,
            windowMs: ratio.windowMs ?? f.windowMs,
          },
    maxConnections: breaker?.maxConnections ?? c.maxConnections,
    maxPendingRequests: breaker?.maxPendingRequests ?? c.maxPendingRequests,
    maxRequests: breaker?.maxRequests ?? c.maxRequests,
    maxRetries: breaker?.maxRetries ?? c.maxRetries,
    retryBudget: {
      minRetries: breaker?.retryBudget?.minRetries ?? d.retryBudget.minRetries,
      percent: breaker?.retryBudget?.percent ?? d.retryBudget.percent,
    },
  };
}

function toLowerCase(value: string): string {
  return value.toLowerCase();
}

function toUpperCase(value: string): string {
  return value.toUpperCase();
}
