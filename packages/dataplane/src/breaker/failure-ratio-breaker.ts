import type { Clock } from './clock';

/**
 * Settings of a `FailureRatioBreaker`: one upstream's `circuitBreaker.failureRatio` (the spec's
 * `BreakerSpec['failureRatio']` satisfies it).
 */
export interface FailureRatioOptions {
  /** Failure share (0 < t <= 1) that opens the breaker. Default 0.5. */
  readonly threshold: number;
  /** Fewest attempts in the window before the share is judged. Default 20. */
  readonly minimumRequests: number;
  /** Sliding window, ms. Default 10000. */
  readonly windowMs: number;
  /** How long the breaker stays open before probing, ms. Default 5000. */
  readonly openMs: number;
  /** Requests let through while half-open. Default 3. */
  readonly halfOpenProbes: number;
}

/**
 * Breaker states, ordered by severity so that the workers' maximum is the worst state (the
 * `weir_circuit_breaker_state` gauge is aggregated with `max`).
 */
export type BreakerState = 0 | 1 | 2;
export const BREAKER_CLOSED: BreakerState = 0;
export const BREAKER_HALF_OPEN: BreakerState = 1;
export const BREAKER_OPEN: BreakerState = 2;

/** What `allow()` granted: keep it and hand it back to `record` or `cancel`. */
export type Admission = 0 | 1 | 2;
/** Refused: the breaker is open, or half-open with every probe out. */
export const ADMIT_DENIED: Admission = 0;
/** Admitted while closed. */
export const ADMIT_NORMAL: Admission = 1;
/** Admitted as one of the half-open probes. */
export const ADMIT_PROBE: Admission = 2;

/** Told about every state change (metrics, logs). Called synchronously; must not throw. */
export interface BreakerObserver {
  onStateChange(state: BreakerState): void;
}

/** Number of buckets of the sliding window: the window slides in steps of `windowMs / 10`. */
const BUCKETS = 10;

/**
 * The failure-ratio circuit breaker of one upstream in one worker, so that a dead upstream costs
 * no round trips while it is open:
 *
 * ```
 *            failures/attempts >= threshold            openMs elapsed (seen by allow())
 *  CLOSED ──  and attempts >= minimumRequests ──> OPEN ───────────────────────> HALF_OPEN
 *    ^        (sliding windowMs, 10 buckets)       ^                               │
 *    │                                             └──── any probe fails ──────────┤
 *    └──────────── halfOpenProbes probes succeed ──────────────────────────────────┘
 * ```
 *
 * `allow()` returns an `Admission` that the caller passes back to exactly one `record(admission,
 * success)` (the attempt's outcome) or `cancel(admission)` (it ended without one, for example the
 * client left): outcomes of requests admitted while closed are ignored once the breaker opened,
 * so stragglers neither close nor re-open it; only probes decide a half-open breaker. While
 * closed, `allow()` reads no clock and `record` touches two counters.
 *
 * Every upstream attempt asks `allow()`, retries included: while half-open a retry takes a probe
 * slot like any request (or is refused when every slot is out), and a probe that failed has
 * re-opened the breaker, so its retry is refused. A half-open window begins lazily with the
 * first `allow()` after `openMs` and lets at most `halfOpenProbes` attempts through (plus one
 * per probe `cancel`led without an outcome). Attempts admitted while closed that are still
 * queued or running when the breaker opens are not called back: they were admitted and go.
 */
export class FailureRatioBreaker {
  private readonly options: FailureRatioOptions;
  private readonly clock: Clock;
  private readonly observer: BreakerObserver | null;
  private readonly bucketMs: number;
  private readonly attempts = new Uint32Array(BUCKETS);
  private readonly failures = new Uint32Array(BUCKETS);
  private current = 0;
  /** Start time of the current bucket. */
  private bucketStart: number;
  private totalAttempts = 0;
  private totalFailures = 0;
  private stateValue: BreakerState = BREAKER_CLOSED;
  private openUntil = 0;
  private probesOut = 0;
  private probesPassed = 0;
  private openCount = 0;

  constructor(options: FailureRatioOptions, clock: Clock, observer: BreakerObserver | null = null) {
    this.options = options;
    this.clock = clock;
    this.observer = observer;
    this.bucketMs = Math.max(1, options.windowMs / BUCKETS);
    this.bucketStart = clock.now();
  }

  /** The current state (an open breaker whose time is over reads OPEN until `allow()` sees it). */
  get state(): BreakerState {
    return this.stateValue;
  }

  /** Times the breaker opened (from closed or half-open). */
  get opens(): number {
    return this.openCount;
  }

  /** May an attempt go out now? */
  allow(): Admission {
    const state = this.stateValue;
    if (state === BREAKER_CLOSED) return ADMIT_NORMAL;
    if (state === BREAKER_OPEN) {
      if (this.clock.now() < this.openUntil) return ADMIT_DENIED;
      this.probesOut = 0;
      this.probesPassed = 0;
      this.setState(BREAKER_HALF_OPEN);
    }
    if (this.probesOut >= this.options.halfOpenProbes) return ADMIT_DENIED;
    this.probesOut++;
    return ADMIT_PROBE;
  }

  /** The outcome of an attempt admitted with `admission`. */
  record(admission: Admission, success: boolean): void {
    if (admission === ADMIT_PROBE) {
      if (this.stateValue !== BREAKER_HALF_OPEN) return;
      if (!success) {
        this.open();
      } else if (++this.probesPassed >= this.options.halfOpenProbes) {
        this.close();
      }
      return;
    }
    if (admission !== ADMIT_NORMAL || this.stateValue !== BREAKER_CLOSED) return;
    this.advance(this.clock.now());
    const b = this.current;
    this.attempts[b] = (this.attempts[b] as number) + 1;
    this.totalAttempts++;
    if (success) return;
    this.failures[b] = (this.failures[b] as number) + 1;
    this.totalFailures++;
    const o = this.options;
    if (this.totalAttempts >= o.minimumRequests && this.totalFailures >= o.threshold * this.totalAttempts) this.open();
  }

  /** An admitted attempt ended without an outcome: a probe's slot is given back. */
  cancel(admission: Admission): void {
    if (admission === ADMIT_PROBE && this.stateValue === BREAKER_HALF_OPEN && this.probesOut > 0) this.probesOut--;
  }

  private open(): void {
    this.openUntil = this.clock.now() + this.options.openMs;
    this.openCount++;
    this.setState(BREAKER_OPEN);
  }

  private close(): void {
    this.attempts.fill(0);
    this.failures.fill(0);
    this.totalAttempts = 0;
    this.totalFailures = 0;
    this.current = 0;
    this.bucketStart = this.clock.now();
    this.setState(BREAKER_CLOSED);
  }

  private setState(state: BreakerState): void {
    this.stateValue = state;
    if (this.observer !== null) this.observer.onStateChange(state);
  }

  /** Slides the window to `now`, clearing buckets that fell out of it. */
  private advance(now: number): void {
    const elapsed = now - this.bucketStart;
    if (elapsed < this.bucketMs) return;
    const steps = Math.floor(elapsed / this.bucketMs);
    const clear = steps < BUCKETS ? steps : BUCKETS;
    for (let s = 0; s < clear; s++) {
      this.current = (this.current + 1) % BUCKETS;
      this.totalAttempts -= this.attempts[this.current] as number;
      this.totalFailures -= this.failures[this.current] as number;
      this.attempts[this.current] = 0;
      this.failures[this.current] = 0;
    }
    this.bucketStart += steps * this.bucketMs;
  }
}
