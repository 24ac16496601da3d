import type { CachePurgeResult, CachePurgeTarget, EndpointHealth, WorkerStats, WorkerStatus, WorkerUpstreamStates } from '@weir/cluster/primary';
import type { RequestFamilyLike } from './stats-window';
import type { ApplyOptions, ApplyOutcome, AppliedConfig, CheckedConfig, ConfigSource, LastApply } from '../apply/index';
import type { StoredVersion, VersionSummary } from '../state/index';

/**
 * What the admin API needs of the apply manager. `ApplyManager` satisfies it; tests pass fakes.
 * Every change goes through `apply`, the same gate as the file provider and the puller.
 */
export interface ConfigApplier {
  readonly current: AppliedConfig | null;
  readonly lastApply: LastApply | null;
  apply(config: unknown, source: ConfigSource, options?: ApplyOptions): Promise<ApplyOutcome>;
  check(config: unknown): Promise<CheckedConfig>;
}

/** What the admin API needs of the state directory's history. `StateStore` satisfies it. */
export interface VersionHistory {
  /** Kept versions, newest first. */
  list(): readonly VersionSummary[];
  /** One kept version with its config, or null. */
  get(id: string): Promise<StoredVersion | null>;
}

/**
 * What the admin API needs of the fleet, for `GET /admin/status` and `GET /admin/upstreams`.
 * `Fleet` satisfies it.
 */
export interface FleetView {
  status(): WorkerStatus[];
  stats(timeoutMs?: number): Promise<WorkerStats[]>;
  /**
   * Optional: every ready worker's upstream state (breakers, ejections, in-flight), the answers
   * that arrive within `timeoutMs`. Without it `GET /admin/upstreams` counts no worker.
   */
  upstreamStates?(timeoutMs?: number): Promise<WorkerUpstreamStates[]>;
  /** Optional: the active health table as last published. Without it checked endpoints read their `initialState`. */
  healthTable?(): EndpointHealth[];
}

/** The Prometheus exposition served on `GET /metrics` (the aggregated registry). */
export interface MetricsSource {
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** The same in the OpenMetrics format, with exemplars; absent: Prometheus text only. */
  openMetrics?(): Promise<{ readonly contentType: string; readonly body: string }>;
  /**
   * Optional: the workers' metrics aggregated, as metric families (`MetricsAggregator.families`),
   * which `GET /admin/stats` samples; without it that endpoint answers 404.
   */
  families?(): Promise<readonly RequestFamilyLike[]>;
}

/**
 * What the admin API needs of the rollout manager (structural: the admin module does not import
 * the rollout module). `RolloutManager` satisfies it; records cross as plain JSON.
 */
export interface RolloutService {
  readonly current: object | null;
  list(): readonly object[];
  get(id: string): object;
  wait(id: string, ms: number): Promise<object>;
  start(body: unknown, principal: string): Promise<{ readonly id: string }>;
  act(id: string, action: 'promote' | 'pause' | 'resume' | 'abort', principal: string, body: unknown): Promise<object>;
}

/**
 * What the admin API needs to purge response caches (`POST /admin/cache/purge`, issue 10).
 * `Fleet` satisfies it: it asks every worker and reports who answered, with what count, and
 * who did not within `timeoutMs`.
 */
export interface CachePurger {
  purgeCache(route: string, target: CachePurgeTarget, timeoutMs?: number): Promise<CachePurgeResult>;
}
