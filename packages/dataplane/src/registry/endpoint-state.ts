/**
 * A change counter shared by every `EndpointState` of the process: bumped whenever an endpoint's
 * availability inputs change (health, ejection). Balancers cache "how many endpoints are
 * available" (for the panic threshold) and recount only when it moved, so a pick costs no walk
 * over the endpoints. One counter for all upstreams keeps writers simple; a change elsewhere only
 * costs other balancers one recount.
 */
export interface StateEpoch {
  value: number;
}

/** The process-wide epoch (one worker is one process). */
export const stateEpoch: StateEpoch = { value: 0 };

/**
 * The mutable, per-worker state of one endpoint that outlives a config version: whether the
 * primary's active health checks pass, until when outlier detection ejected it, and how many
 * requests this worker has in flight to it. One instance per `endpointStateKey` (upstream name +
 * endpoint address), owned by the `EndpointRegistry` and shared by every runtime that lists the
 * endpoint, so a reload that keeps the endpoint keeps its health, its ejection and its load.
 *
 * Writers, one per field:
 *
 * ```
 *   healthy        DataPlane.health()  <- the primary's checker, over IPC (`weir:health`)
 *   ejectedUntil   the outlier detector (src/outlier), as its `EjectionTarget`
 *   active         the proxy: +1 when an attempt is dispatched, -1 when it ends
 * ```
 *
 * Readers: balancers, through `EndpointView` (STYLE.md rule 10). An endpoint is available when
 * `ejectedUntil` is not in the future and, if its upstream (in the runtime at hand) has active
 * checks, it is healthy. `healthy` and `ejectedUntil` are accessors so that every write bumps
 * `stateEpoch`; writers just assign them.
 */
export class EndpointState {
  /** `host:port` as written in the spec; for logs and health updates. */
  readonly address: string;
  /** Requests this worker has in flight to the endpoint (read by least-request picking). */
  active: number;
  private health: boolean;
  private ejectionEnd: number;

  /** @param healthy the starting health: the check's `initialState`, `true` without a check. */
  constructor(address: string, healthy: boolean) {
    this.address = address;
    this.active = 0;
    this.health = healthy;
    this.ejectionEnd = 0;
  }

  /**
   * Result of the active health checks, as last broadcast by the primary. Only consulted when
   * the upstream of the runtime at hand has a `healthCheck`; without one it is ignored (and kept,
   * so removing and re-adding the same check does not flap).
   */
  get healthy(): boolean {
    return this.health;
  }

  set healthy(value: boolean) {
    if (value === this.health) return;
    this.health = value;
    stateEpoch.value++;
  }

  /**
   * Outlier ejection: the endpoint is ejected while the monotonic clock (`performance.now()`,
   * the clock of the outlier detector and of the balancers) reads less than this; `0` when it
   * was never ejected.
   */
  get ejectedUntil(): number {
    return this.ejectionEnd;
  }

  set ejectedUntil(value: number) {
    if (value === this.ejectionEnd) return;
    this.ejectionEnd = value;
    stateEpoch.value++;
  }
}
