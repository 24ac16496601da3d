import type { Counter } from 'prom-client';

/** A counter with the `upstream` label bound, and children cached by `reason`. */
class ReasonCounter {
  private readonly children = new Map<string, Counter.Internal>();

  constructor(
    private readonly counter: Counter<string>,
    private readonly upstream: string,
  ) {}

  inc(reason: string): void {
    let child = this.children.get(reason);
    if (child === undefined) {
      child = this.counter.labels({ upstream: this.upstream, reason });
      this.children.set(reason, child);
    }
    child.inc();
  }
}

/**
 * The resilience metrics of one upstream (retries, circuit breaker, outlier ejections), resolved
 * once when a runtime is assembled and kept by the upstream's breaker and outlier detector
 * (STYLE.md rule 8). These events are rare next to requests (a retry, a state change, an
 * ejection), so they go to prom-client at once, through label children cached per reason; the
 * breaker state is a plain number the gauge reads at scrape time.
 */
export class UpstreamResilienceMetrics {
  /** Breaker state as last reported (0 closed, 1 half-open, 2 open); -1: no breaker reported. */
  breakerStateValue = -1;
  private readonly retries: ReasonCounter;
  private readonly denied: ReasonCounter;
  private readonly ejections: ReasonCounter;
  private readonly opens: Counter.Internal;

  constructor(
    /** The upstream's name. */
    readonly upstream: string,
    counters: { retries: Counter<string>; denied: Counter<string>; ejections: Counter<string>; opens: Counter<string> },
  ) {
    this.retries = new ReasonCounter(counters.retries, upstream);
    this.denied = new ReasonCounter(counters.denied, upstream);
    this.ejections = new ReasonCounter(counters.ejections, upstream);
    this.opens = counters.opens.labels({ upstream });
  }

  /** One retry sent; `reason` is the retryOn condition (`connect-failure`, `reset`, ...). */
  retry(reason: string): void {
    this.retries.inc(reason);
  }

  /** One retry refused by a limit: `budget`, `max-retries`, `breaker-open` or `timeout`. */
  retryDenied(reason: string): void {
    this.denied.inc(reason);
  }

  /**
   * The failure-ratio breaker moved to `state` (0 closed, 1 half-open, 2 open); -1: the upstream
   * has no breaker any more (its `weir_circuit_breaker_state` series disappears).
   */
  breakerState(state: number): void {
    if (state === 2) this.opens.inc();
    this.breakerStateValue = state;
  }

  /** One endpoint ejected; `reason` names the detector. */
  ejection(reason: string): void {
    this.ejections.inc(reason);
  }
}
