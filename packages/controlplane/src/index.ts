/**
 * @weir/controlplane: the primary's control plane. Primary-only: it never imports the data plane
 * (STYLE.md section 1.1).
 */
export { ApplyManager, BUILD_TASK_FILE, InlineSpecBuilder, ThreadSpecBuilder } from './apply/index';
export type {
  ApplyCompose,
  ApplyGate,
  ApplyEvent,
  ApplyManagerOptions,
  ApplyOptions,
  ApplyOutcome,
  ApplyOutcomeKind,
  AppliedConfig,
  CheckedConfig,
  BuiltSpec,
  CommittedApply,
  ConfigFileMark,
  ConfigSource,
  LastApply,
  SnapshotTarget,
  SpecBuilder,
} from './apply/index';
export {
  BundlePuller,
  HttpBundleSource,
  PULLED_BUNDLE_FILE,
  PullSchedule,
  PulledBundleFile,
  bundleConfigValidator,
  checkHeldBundle,
  fileSha256,
  pullTrust,
  withHostPull,
} from './pull/index';
export type {
  BundlePullerOptions,
  BundleSource,
  HeldBundleCheck,
  HttpBundleSourceOptions,
  PullApplier,
  PullOutcome,
  PullRollouts,
  PullScheduleSettings,
  PullStatus,
  PullTimers,
  PulledBundle,
  PulledBundleStore,
  ReadKeyFile,
  SourceFetch,
  SourceMark,
} from './pull/index';
export { FileProvider, FileWatcher, contentHash, watchDirectoryWithFs } from './provider/index';
export { HealthChecker, HealthState, healthCheckKey, httpProbe, realHealthTimers } from './health/index';
export type { HealthCheckerOptions, HealthCheckEvent, HealthPublisher, HealthTimers, Probe, ProbeResult, ProbeTarget } from './health/index';
export type { DirectoryWatch, FileChange, FileRead, FileWatcherOptions, WatchDirectory, WatchTimers } from './provider/index';
export {
  StateStore,
  VERSION_FILE_FORMAT,
  decodeVersionFile,
  encodeVersionFile,
  fsyncDirectory,
  processStateDirEnvironment,
  resolveStateDir,
  writeFileAtomic,
} from './state/index';
export type {
  AtomicWriteOptions,
  DecodedVersionFile,
  RecordInput,
  ResolvedStateDir,
  StateDirEnvironment,
  StateDirOrigin,
  StateLoad,
  StateProblem,
  StateStoreOptions,
  StoredVersion,
  VersionFileFault,
  VersionMeta,
  VersionSummary,
} from './state/index';
export {
  ADMIN_ROUTES,
  ADMIN_SCOPES,
  AdminServer,
  BOOTSTRAP_TOKEN_FILE,
  BootstrapToken,
  TokenVerifier,
  adminOpenApiDocument,
  diffConfigs,
  generateToken,
  hashToken,
  parseScopes,
} from './admin/index';
export type {
  AdminOperation,
  AdminPrincipal,
  AdminRoute,
  AdminScope,
  AdminServerOptions,
  AuthRateLimiterOptions,
  BootstrapTokenOptions,
  CachePurger,
  ConfigApplier,
  RolloutService,
  ConfigDiff,
  FleetView,
  MetricsSource,
  MonotonicClock,
  SectionDiff,
  VersionHistory,
} from './admin/index';
export {
  RolloutHistoryFile,
  RolloutMachine,
  RolloutManager,
  RolloutSpans,
  ROLLOUTS_FILE,
  analyseWindow,
  parseRolloutRequest,
  readArmTotals,
  windowBetween,
  quantileMs,
  checkRolloutable,
  DEFAULT_STAGES,
  DEFAULT_ANALYSIS,
} from './rollout/index';
export type {
  AnalysisResult,
  AnalysisSettings,
  ArmFigures,
  ArmSnapshot,
  ArmTotals,
  MetricFamilyLike,
  RolloutAction,
  RolloutApplier,
  RolloutFleet,
  RolloutManagerOptions,
  RolloutPersistence,
  RolloutPlan,
  RolloutRecord,
  RolloutStage,
  RolloutState,
  StageVerdict,
  StickyKey,
} from './rollout/index';
export { ControlTracer, CONTROL_SCOPE_VERSION, NOOP_SPAN, urlWithoutCredentials } from './tracing/index';
export type { ControlAttributes, ControlAttributeValue, ControlSinkFactory, ControlSpan, ControlTracerOptions, SpanParent } from './tracing/index';
export { RedisTokenSource, redisBucketKey, type RedisTokenSourceOptions } from './limits/index';
export { JwksFetcher, realJwksTimers, type JwkSet, type JwksFailure, type JwksFetcherOptions, type JwksFetchListener, type JwksFetchOutcome, type JwksStatus, type JwksTimers, type JwksUrlEntry } from './jwks/index';
