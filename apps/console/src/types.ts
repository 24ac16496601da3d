/**
 * The admin API's answers as the console reads them (apps/weir/docs/admin-api.md). Written here
 * rather than imported: the console talks to the API over HTTP only, and reads defensively
 * (fields an older primary lacks are optional).
 */

export interface WorkerRow {
  readonly index: number;
  readonly pid: number | null;
  readonly state: string;
  readonly version: string | null;
  readonly restarts: number;
  readonly uptimeMs: number | null;
  readonly inFlight?: number | null;
  readonly candidateVersion?: string | null;
  readonly candidatePercent?: number | null;
}

export interface Status {
  readonly primary: { readonly pid: number; readonly version: string; readonly node: string; readonly startedAt: string; readonly uptimeMs: number };
  readonly config: { readonly version: string; readonly hash: string; readonly source: string; readonly principal: string | null } | null;
  readonly lastApply: {
    readonly version: string | null;
    readonly source: string;
    readonly principal: string | null;
    readonly outcome: string;
    readonly at: string;
    readonly durationMs?: number;
    readonly error?: { readonly code: string; readonly message?: string; readonly reason?: string } | null;
  } | null;
  readonly rollout?: Rollout | null;
  /** The bundle puller (null without a `pull` section; absent on an older primary). */
  readonly pull?: PullStatus | null;
  /** The running config's TLS certificates, soonest expiry first (absent on an older primary). */
  readonly certificates?: readonly CertificateStatus[];
  readonly workers: readonly WorkerRow[];
}

export interface CertificateStatus {
  readonly name: string;
  readonly serverNames: readonly string[];
  readonly notAfter: string;
  readonly expiresInSeconds: number;
  readonly listeners: readonly string[];
}

export interface PullStatus {
  readonly source: string;
  readonly mode: string;
  /** The revision running from a bundle, null before the first one. */
  readonly revision: number | null;
  readonly lastSuccessAt: string | null;
  readonly lastPollAt?: string | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: string } | null;
  readonly consecutiveFailures: number;
}

export interface ArmSample {
  readonly requestsPerSecond: number;
  readonly errorRatio: number | null;
  readonly p99Seconds: number | null;
}

export interface StatsSample extends ArmSample {
  readonly at: string | number;
  readonly arms?: { readonly stable: ArmSample; readonly candidate: ArmSample | null };
}

export interface Stats {
  readonly intervalMs: number;
  readonly samples: readonly StatsSample[];
}

export interface Endpoint {
  readonly address: string;
  readonly weight?: number;
  readonly health: 'healthy' | 'unhealthy' | 'unchecked' | string;
  readonly ejectedWorkers: number;
  readonly workers: number;
  readonly inFlight: number | null;
}

export interface Upstream {
  readonly name: string;
  readonly balancer?: string;
  readonly breaker: 'closed' | 'open' | 'half-open' | null | string;
  readonly endpoints: readonly Endpoint[];
}

export interface VersionSummary {
  readonly id: string;
  readonly version: string;
  readonly hash: string;
  readonly source: string;
  readonly principal: string | null;
  readonly committedAt: string;
  readonly current: boolean;
}

export interface ArmAnalysis {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
  readonly p99Ms: number | null;
}

export interface Rollout {
  readonly id: string;
  readonly state: 'running' | 'paused' | 'promoted' | 'aborted' | string;
  readonly stage: number;
  readonly stableVersion: string;
  readonly candidateVersion: string;
  readonly stages: readonly { readonly percent: number; readonly bakeSeconds: number; readonly pause?: boolean }[];
  readonly analysis: Readonly<Record<string, number | null>>;
  readonly stageStartedAt: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly principal: string | null;
  readonly pausedBy?: string | null;
  readonly lastAnalysis: {
    readonly at: string;
    readonly verdict: string;
    readonly stable: ArmAnalysis;
    readonly candidate: ArmAnalysis;
    readonly reasons: readonly string[];
  } | null;
  readonly outcome: { readonly result: string; readonly version?: string; readonly by?: string; readonly reason?: string | null } | null;
  readonly events?: readonly { readonly at: string; readonly event: string; readonly stage: number; readonly principal: string | null; readonly reason: string | null }[];
}

/** A route as the console shows it: the config's own fields, read loosely. */
export interface RouteLike {
  readonly name?: unknown;
  readonly match?: unknown;
  readonly upstream?: unknown;
  readonly split?: unknown;
  readonly directResponse?: unknown;
  readonly [key: string]: unknown;
}

/** Who the token is and what it may do beyond reading (`GET /admin/token`, see capabilities.ts). */
export interface Capabilities {
  /** The token's name (the principal the audit log records); null when unknown. */
  readonly name: string | null;
  readonly write: boolean;
  readonly rollout: boolean;
}
