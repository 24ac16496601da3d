import type { BoundListener } from './server/index';

/* The data plane's exchange types with the cluster agent (`DataPlane`'s methods). */

/** What `prepare` reports back (the worker acks it to the primary). */
export interface PrepareResult {
  readonly version: string;
  /** Every listener of the spec with the address and port it is bound to. */
  readonly listeners: readonly BoundListener[];
}

/** One active health-check result from the primary (the cluster's `EndpointHealth`). */
export interface EndpointHealthUpdate {
  readonly upstream: string;
  readonly address: string;
  readonly healthy: boolean;
}

/** Which runtime a prepare builds: the next committed one, or a rollout's candidate beside it. */
export type PrepareTarget = 'stable' | 'candidate';

/** A worker's versions and load, for the primary's status page. */
export interface DataPlaneStats {
  /** The committed version, null before the first commit. */
  readonly version: string | null;
  readonly inFlight: number;
  /** The rollout candidate's version, null without one. */
  readonly candidateVersion: string | null;
  /** The candidate's share of requests in percent (0 without a rollout). */
  readonly candidatePercent: number;
}
