/**
 * The admin API's answers, as apps/weir/docs/admin-api.md documents them: the wire contract
 * weirctl relies on. Declared here (not imported from the control plane's internals) because
 * this is what a client may count on; fields the docs do not promise are not listed. The config
 * diff is the exception: its type comes from the control plane's public index.
 */

/**
 * The diff of `POST /admin/config/validate` is the control plane's own type, re-exported from its
 * public index: one declaration of the wire shape, shared by server and client.
 */
export type { ConfigDiff, SectionDiff } from '@weir/controlplane';
import type { ConfigDiff } from '@weir/controlplane';

/** `POST /admin/config/validate` (200). */
export interface ValidateResult {
  readonly valid: true;
  readonly version: string;
  readonly hash: string;
  readonly runningVersion: string | null;
  readonly changed: boolean;
  /** `admin` when the config changes the `admin` section. */
  readonly requiredScope: 'write' | 'admin';
  readonly diff: ConfigDiff;
}

/** A listener as bound after an apply. */
export interface BoundListener {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** `POST /admin/config` and `POST /admin/config/rollback` (200). */
export interface ApplyResult {
  readonly changed: boolean;
  readonly version: string;
  readonly hash: string;
  readonly previousVersion: string | null;
  /** Only when `changed`. */
  readonly durationMs?: number;
  readonly listeners?: readonly BoundListener[];
  /** Only for a rollback: the history id rolled back to. */
  readonly rolledBackTo?: string;
}

/** `GET /admin/config` (200): the running config and its version (from the ETag). */
export interface RunningConfig {
  readonly config: unknown;
  /** The version the `ETag` names, without quotes; null if the answer had no ETag. */
  readonly version: string | null;
}

/** One kept version (`GET /admin/config/versions`). */
export interface VersionSummary {
  readonly id: string;
  readonly version: string;
  readonly hash: string;
  readonly source: string;
  readonly principal: string | null;
  readonly committedAt: string;
  readonly current: boolean;
}

/** `GET /admin/config/versions` (200). */
export interface VersionList {
  readonly versions: readonly VersionSummary[];
}

/** One worker row of `GET /admin/status`. */
export interface WorkerRow {
  readonly index: number;
  readonly pid: number | null;
  readonly state: string;
  readonly version: string | null;
  readonly restarts: number;
  readonly uptimeMs: number | null;
  /** Null when the worker did not answer within 500 ms. */
  readonly inFlight: number | null;
}

/** `POST /admin/cache/purge` (200): every worker acknowledged. */
export interface CachePurgeResult {
  readonly route: string;
  /** The exact key purged, or the prefix (one of the two). */
  readonly key?: string;
  readonly prefix?: string;
  /** Entries removed, summed over the workers. */
  readonly purged: number;
  /** Each worker that acknowledged, by slot, with the entries it removed. */
  readonly workers: readonly { readonly index: number; readonly pid: number; readonly purged: number }[];
  /** Workers that exited during the purge (their caches went with them). */
  readonly exited: readonly { readonly index: number; readonly pid: number }[];
}

/** `GET /admin/status` (200). */
export interface StatusResult {
  readonly primary: {
    readonly pid: number;
    readonly version: string;
    readonly node: string;
    readonly startedAt: string;
    readonly uptimeMs: number;
  };
  readonly config: { readonly version: string; readonly hash: string; readonly source: string; readonly principal: string | null } | null;
  readonly lastApply: {
    readonly version: string | null;
    readonly source: string;
    readonly principal: string | null;
    readonly outcome: 'applied' | 'unchanged' | 'rejected';
    readonly at: string;
    readonly durationMs?: number;
    readonly error?: { readonly code: string; readonly message?: string; readonly reason?: string };
  } | null;
  /** The running config's TLS certificates, soonest expiry first (absent on an older daemon). */
  readonly certificates?: readonly {
    readonly name: string;
    readonly serverNames: readonly string[];
    readonly notAfter: string;
    readonly expiresInSeconds: number;
    readonly listeners: readonly string[];
  }[];
  readonly workers: readonly WorkerRow[];
}

/** A rollout stage: the candidate's share of traffic, how long it bakes, whether it is a manual gate. */
export interface RolloutStage {
  /** 0 < percent ≤ 100, fractions allowed. */
  readonly percent: number;
  /** 1-86400. */
  readonly bakeSeconds: number;
  /** A manual gate: after its bake the rollout waits in `paused` until `promote`. */
  readonly pause: boolean;
}

/** How a client is kept on one version: a header, a cookie or its address. */
export type RolloutSticky =
  | { readonly header: string }
  | { readonly cookie: string }
  | { readonly clientAddress: true };

/** Analysis thresholds (`analysis` of a rollout); see admin-api.md for the defaults. */
export interface RolloutAnalysisSettings {
  readonly minRequests: number;
  readonly maxErrorRateIncrease: number;
  readonly maxP99Ratio: number;
  readonly p99ToleranceMs: number;
  readonly maxErrorRate: number | null;
  readonly maxP99Ms: number | null;
}

/** One arm's numbers over the stage window. */
export interface ArmStats {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
  readonly p99Ms: number | null;
}

/** The last analysis of a rollout. */
export interface RolloutAnalysis {
  readonly at: string;
  /** `wait` while baking; other verdicts as the daemon names them. */
  readonly verdict: string;
  readonly stable: ArmStats;
  readonly candidate: ArmStats;
  readonly reasons: readonly string[];
}

/** `running` and `paused` go on; `promoted` and `aborted` are final. */
export type RolloutState = 'running' | 'paused' | 'promoted' | 'aborted';

/** How a rollout ended. */
export type RolloutOutcome =
  | { readonly result: 'promoted'; readonly version: string }
  | { readonly result: 'aborted'; readonly by: 'analysis' | 'operator' | 'restart' | 'apply-failed' | string; readonly reason: string | null };

/** One transition of a rollout. */
export interface RolloutEvent {
  readonly at: string;
  readonly event: string;
  readonly stage: number;
  /** The token's name, or `analysis`. */
  readonly principal: string | null;
  readonly reason: string | null;
}

/** The rollout resource (`POST /admin/rollouts` 201, `GET /admin/rollouts/{id}`, the actions). */
export interface Rollout {
  readonly id: string;
  readonly state: RolloutState;
  /** Index into `stages`, from 0. */
  readonly stage: number;
  readonly stableVersion: string;
  readonly candidateVersion: string;
  readonly stages: readonly RolloutStage[];
  readonly sticky: RolloutSticky | null;
  readonly analysis: RolloutAnalysisSettings;
  readonly stageStartedAt: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly principal: string | null;
  readonly lastAnalysis: RolloutAnalysis | null;
  readonly outcome: RolloutOutcome | null;
  readonly events: readonly RolloutEvent[];
}

/** `GET /admin/rollouts` (200): the current rollout, if any, and the kept history, newest first. */
export interface RolloutList {
  readonly current: Rollout | null;
  readonly rollouts: readonly Rollout[];
}

/** The body of `POST /admin/rollouts`. Only `config` is required. */
export interface RolloutRequest {
  readonly config: unknown;
  readonly stages?: readonly RolloutStage[];
  readonly sticky?: RolloutSticky;
  readonly analysis?: Partial<RolloutAnalysisSettings>;
}

/** True for the final states. */
export function isFinalState(state: string): boolean {
  return state === 'promoted' || state === 'aborted';
}
