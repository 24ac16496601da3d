import type { Spec } from '@weir/runtime';
import type { ArmSplit, EndpointHealth, ListenerInfo, UpstreamStateReport } from '../protocol/index';

/** What a sink reports after a successful prepare. */
export interface PreparedSnapshot {
  readonly version: string;
  /** The listeners the prepared runtime will serve on, with their bound ports. */
  readonly listeners: readonly ListenerInfo[];
}

/** A worker's current version and load, for status pages. */
export interface SinkStats {
  readonly version: string | null;
  readonly inFlight: number;
  /** The rollout candidate held beside `version`, if any. */
  readonly candidateVersion?: string | null;
  /** The candidate's share in percent. */
  readonly candidatePercent?: number;
}

/**
 * The worker-side consumer of snapshots. The data plane satisfies it structurally and never
 * names it (STYLE.md section 1.1: the data plane does not import cluster); `apps/weir` wires the
 * two together.
 *
 * Contract: `prepare` builds the runtime and opens its listeners but does not serve it; at most
 * one prepared runtime exists; `commit` swaps it in atomically and cannot fail; `abort` discards
 * it (closing listeners only it opened); `drain` stops accepting and waits for in-flight requests
 * up to `timeoutMs`.
 */
export interface SnapshotSink {
  /**
   * `target` `candidate` builds a rollout's candidate beside the committed runtime; the next
   * `commit` publishes it with no share. A sink without rollout support rejects it.
   */
  prepare(spec: Spec, target?: 'stable' | 'candidate'): Promise<PreparedSnapshot>;
  commit(): void;
  abort(): void;
  drain(timeoutMs: number): Promise<void>;
  /** Optional: answers the primary's stats requests; without it they report no load. */
  stats?(): SinkStats;
  /**
   * Optional: applies active health-check results from the primary (`weir:health`), at once,
   * even while a prepare is running. Entries for endpoints the sink does not have are ignored.
   */
  health?(updates: readonly EndpointHealth[]): void;
  /** Optional (rollouts): send `split.percent` of requests to the committed candidate. */
  split?(split: ArmSplit): void;
  /** Optional (rollouts): stop using the candidate; it retires after its last request. */
  dropCandidate?(): void;
  /** Optional (JWT plugins): the key set the primary fetched from a JWKS URL. */
  jwks?(url: string, jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] }): void;
  /**
   * Optional (response cache, issue 10): remove entries of route `route`'s cache, in every
   * runtime the worker holds (committed, prepared, rollout candidate), and return how many were
   * removed. `key` removes every entry stored for exactly that key (`http://host/path?query`,
   * all its `Vary` and `keyHeaders` variants); `prefix` every entry whose key starts with it. A
   * route without a cache, or an unknown route, removes 0. Called at once, even while a prepare
   * runs, and must not wait: the primary waits for the answer. Without it every purge removes 0.
   */
  purgeCache?(route: string, target: { readonly key: string } | { readonly prefix: string }): number;
  /**
   * Optional (admin `GET /admin/upstreams`, issue 17): the committed runtime's upstreams as this
   * worker sees them now (breaker state; per endpoint, outlier ejection and requests in flight).
   * Called at once, even while a prepare runs, and must not wait. Without it the worker answers
   * with no upstreams.
   */
  upstreamStates?(): { readonly version: string | null; readonly upstreams: readonly UpstreamStateReport[] };
}
