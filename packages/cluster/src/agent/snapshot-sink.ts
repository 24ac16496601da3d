import type { Spec } from '@weir/runtime';
import type { EndpointHealth, ListenerInfo } from '../protocol/index';

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
  prepare(spec: Spec): Promise<PreparedSnapshot>;
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
}
