import { performance } from 'node:perf_hooks';
import { stateEpoch, type EndpointState } from '../registry/index';
import { NO_ENDPOINT, type PickFilter } from './balancer';

/** A monotonic millisecond clock; the same one the outlier detector writes `ejectedUntil` with. */
export interface ViewClock {
  now(): number;
}

/** Options of an `EndpointView`. */
export interface EndpointViewOptions {
  /** The upstream has active health checks: `healthy` counts. Default `false`. */
  readonly checked?: boolean;
  /**
   * Below this percentage of available endpoints, every endpoint is eligible (panic mode);
   * 0 never panics. Default `50`.
   */
  readonly panicThresholdPercent?: number;
  /** Default: `performance.now()`. */
  readonly clock?: ViewClock;
}

const processClock: ViewClock = { now: () => performance.now() };

/**
 * One runtime's view of an upstream's endpoints for picking: which are available now, and
 * whether the upstream is in panic mode. Built once per upstream per runtime in `assemble` over
 * the registry's shared `EndpointState`s (which outlive the runtime); the health-check flag and
 * the panic threshold are this runtime's.
 *
 * Panic mode (Envoy's `healthy_panic_threshold`): when fewer than `panicThresholdPercent` of the
 * endpoints are available, sending everything to the few left would overload them, and sending
 * nothing helps no one, so picks ignore health and ejection. With 0 available and a threshold of
 * 0, there is nothing to pick.
 *
 * The available count is cached: recounted (O(n)) only when `stateEpoch` moved (a health or
 * ejection write) or when the earliest running ejection has ended, so `panicking()` costs two
 * comparisons per pick.
 */
export class EndpointView {
  /** Number of endpoints. */
  readonly size: number;
  /** The shared states, in endpoint order. */
  readonly states: readonly EndpointState[];
  private readonly checked: boolean;
  private readonly threshold: number;
  private readonly clock: ViewClock;
  private seenEpoch: number;
  /** Earliest future `ejectedUntil` at the last count; Infinity when none. */
  private nextExpiry: number;
  private availableCount: number;
  private panic: boolean;

  constructor(states: readonly EndpointState[], options: EndpointViewOptions = {}) {
    this.size = states.length;
    this.states = states;
    this.checked = options.checked ?? false;
    this.threshold = options.panicThresholdPercent ?? 50;
    this.clock = options.clock ?? processClock;
    this.seenEpoch = -1;
    this.nextExpiry = Infinity;
    this.availableCount = 0;
    this.panic = false;
  }

  /** Whether endpoint `i` is available: not ejected and, with active checks, healthy. */
  available(i: number): boolean {
    const s = this.states[i] as EndpointState;
    if (this.checked && !s.healthy) return false;
    const until = s.ejectedUntil;
    return until === 0 || until <= this.clock.now();
  }

  /** Whether picks currently ignore availability. Refreshes the cached count when needed. */
  panicking(): boolean {
    if (this.seenEpoch !== stateEpoch.value || (this.nextExpiry !== Infinity && this.clock.now() >= this.nextExpiry)) {
      this.recount();
    }
    return this.panic;
  }

  /** Available endpoints at the last count (diagnostics, metrics and tests). */
  get availableEndpoints(): number {
    this.panicking();
    return this.availableCount;
  }

  /** Whether `i` may be returned by a pick: available, or anything in panic mode. */
  eligible(i: number, panic: boolean): boolean {
    return panic || this.available(i);
  }

  /**
   * The bounded fallback of every policy: the first endpoint from `start` on (cyclically) that
   * is eligible and accepted by `filter`; failing that, the first eligible one; else
   * `NO_ENDPOINT`. At most two passes over the endpoints.
   */
  scan(start: number, filter: PickFilter | null, panic: boolean): number {
    const n = this.size;
    if (n === 0) return NO_ENDPOINT;
    let first = NO_ENDPOINT;
    let i = start % n;
    for (let k = 0; k < n; k++) {
      if (this.eligible(i, panic)) {
        if (filter === null || filter.accepts(i)) return i;
        if (first === NO_ENDPOINT) first = i;
      }
      i = i + 1 === n ? 0 : i + 1;
    }
    return first;
  }

  private recount(): void {
    this.seenEpoch = stateEpoch.value;
    const now = this.clock.now();
    let count = 0;
    let next = Infinity;
    const states = this.states;
    for (let i = 0; i < states.length; i++) {
      const s = states[i] as EndpointState;
      const until = s.ejectedUntil;
      const ejected = until !== 0 && until > now;
      if (ejected && until < next) next = until;
      if (!ejected && (!this.checked || s.healthy)) count++;
    }
    this.availableCount = count;
    this.nextExpiry = next;
    // Panic when available/size < threshold%, in integers: count * 100 < threshold * size.
    this.panic = count * 100 < this.threshold * this.size;
  }
}
