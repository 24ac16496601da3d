/**
 * @weir/runtime: the snapshot spec (the only contract between the planes), `buildSpec`, the
 * msgpackr codec and the RuntimeStore. Imports `@weir/config` for types only (STYLE.md 1.1).
 */
export { configDefaults, specHash, canonicalJSON, deepFreeze } from './spec/index';
export type {
  ConfigDefaults,
  Spec,
  LogLevelSpec,
  LoggingSpec,
  ServerSpec,
  ListenerSpec,
  RouteSpec,
  MatchSpec,
  PathMatchSpec,
  HeaderMatchSpec,
  ActionSpec,
  ForwardActionSpec,
  DirectActionSpec,
  UpstreamSpec,
  EndpointSpec,
  RetrySpec,
  RetryOnSpec,
  BalancerPolicySpec,
  BalancerSpec,
  HashOnSpec,
  HealthCheckSpec,
  OutlierSpec,
  BreakerSpec,
  CertificateSpec,
  ListenerTlsSpec,
  Http2Spec,
  HttpsRedirectSpec,
  UpgradesSpec,
  UpstreamTlsSpec,
  ClientAddressSpec,
  PathsSpec,
  RouteLimitsSpec,
  RateLimitSpec,
  RateLimitKeySpec,
  HeaderEditsSpec,
  PluginSpec,
  RewritePluginSpec,
  CorsPluginSpec,
  BasicAuthPluginSpec,
  ApiKeyPluginSpec,
  JwtPluginSpec,
  TrafficSpec,
  TrafficOverrideSpec,
  StickyKeySpec,
  MirrorSpec,
  FaultSpec,
  CacheSpec,
  TracingSpec,
  TracingExportSpec,
} from './spec/index';
export { buildSpec, controlDigest, parseEndpoint, rateLimitId } from './build/index';
export type { BuildSpecOptions, ParsedEndpoint } from './build/index';
export { encodeSpec, decodeSpec, decodeSpecAsync, ROUTES_PER_CHUNK, yieldToEventLoop, runSteps, runStepsAsync } from './codec/index';
export type { YieldFn } from './codec/index';
export { RuntimeStore } from './store/index';
export type { Retirable, RuntimeStoreOptions } from './store/index';
