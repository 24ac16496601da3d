/**
 * @weir/config: the Weir config contract (types), its published JSON Schema, and validation
 * (schema + semantic checks) shared by the admin API, the file provider, the puller and the CLI.
 */
export { validateConfig, parseConfig, DOCUMENT_LIMITS, documentLimitProblems, documentShapeError, invalidConfigError } from './validate/index';
export type { ConfigCheck } from './validate/index';
export { configSchema } from './schema/index';
export { loadTlsMaterial } from './tls/index';
export type { TlsMaterial, LeafFacts, LoadTlsMaterialOptions, TlsMaterialLoad } from './tls/index';
export type { ConfigSchema } from './schema/index';
export type {
  WeirConfig,
  LogLevel,
  LoggingConfig,
  AccessLogConfig,
  ServerConfig,
  ListenerConfig,
  ListenerLimitsConfig,
  RouteConfig,
  MatchConfig,
  PathMatchConfig,
  HeaderMatchConfig,
  SplitConfig,
  DirectResponseConfig,
  RouteTimeoutsConfig,
  UpstreamConfig,
  EndpointConfig,
  UpstreamTimeoutsConfig,
  PoolConfig,
  RetryConfig,
  RetryOnConfig,
  RetryBackoffConfig,
  BalancerConfig,
  HashOnConfig,
  HealthCheckConfig,
  OutlierDetectionConfig,
  SuccessRateConfig,
  CircuitBreakerConfig,
  RetryBudgetConfig,
  FailureRatioConfig,
  AdminConfig,
  PullConfig,
  PullTrustedKeyConfig,
  AdminListenConfig,
  AdminTokenConfig,
  AdminScopeConfig,
  CertificateConfig,
  ListenerTlsConfig,
  ClientAuthConfig,
  Http2Config,
  HttpsRedirectConfig,
  RouteUpgradesConfig,
  UpstreamTlsConfig,
} from './types/index';
