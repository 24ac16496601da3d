import type { ApplyOptions, ApplyOutcome, ConfigSource } from '../apply/index';
import type { PulledBundle } from './pulled-bundle-file';

/**
 * What the bundle puller depends on and reports, apart from its options: the apply manager and
 * rollout manager as it uses them, where it keeps bundles, its timers, and its status.
 */

/** How one poll ended (the `outcome` label of `weir_bundle_pulls_total`). */
export type PullOutcome = 'applied' | 'unchanged' | 'rejected' | 'failed';

/** The apply manager, as the puller uses it. */
export interface PullApplier {
  apply(config: unknown, source: ConfigSource, options?: ApplyOptions): Promise<ApplyOutcome>;
}

/** The rollout manager, as the puller uses it (`mode: "rollout"`). */
export interface PullRollouts {
  start(body: unknown, principal: string): Promise<{ readonly id: string }>;
}

/** Where the puller keeps the last verified bundle (`PulledBundleFile`). */
export interface PulledBundleStore {
  save(bundle: PulledBundle): Promise<void>;
}

/** Timers of the poll loop (tests drive them by hand). */
export interface PullTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The puller's part of `GET /admin/status`. */
export interface PullStatus {
  /** The source (the URL). */
  readonly source: string;
  readonly mode: 'apply' | 'rollout';
  /** The revision of the last bundle applied (or rolled out), kept across restarts; null before the first. */
  readonly revision: number | null;
  /** The last poll that left the newest good bundle running (applied, or unchanged), ISO 8601. */
  readonly lastSuccessAt: string | null;
  /** The last poll, whatever its outcome. */
  readonly lastPollAt: string | null;
  /** The last failure or rejection (not cleared by a success: compare `at` with `lastSuccessAt`). */
  readonly lastError: { readonly code: string; readonly message: string; readonly at: string } | null;
  /** Failures in a row (the backoff exponent); 0 after a success. */
  readonly consecutiveFailures: number;
}
