import type { Clock } from '../breaker/index';
import {
  OUTCOME_GATEWAY_ERROR,
  OUTCOME_LOCAL_FAILURE,
  OUTCOME_SERVER_ERROR,
  OUTCOME_SUCCESS,
  type Outcome,
} from './outcome';

/**
 * Settings of an `OutlierDetector`, one upstream's `outlierDetection` (the spec's `OutlierSpec`
 * satisfies it). Defaults are filled in by the spec builder; the values here are Envoy's.
 */
export interface OutlierDetectorOptions {
  /** Consecutive 5xx responses (502-504 included) that eject an endpoint; 0 disables. Default 5. */
  readonly consecutive5xx: number;
  /** Consecutive 502/503/504 responses that eject an endpoint; 0 disables. Default 5. */
  readonly consecutiveGatewayFailure: number;
  /** Consecutive local-origin failures that eject an endpoint; 0 disables. Default 5. */
  readonly consecutiveLocalOriginFailure: number;
  /** Analysis interval (success-rate ejection, un-ejection bookkeeping), ms. Default 10000. */
  readonly intervalMs: number;
  /** Ejection time, multiplied by the endpoint's ejection count, ms. Default 30000. */
  readonly baseEjectionMs: number;
  /** Cap of the ejection time, ms. Default 300000. */
  readonly maxEjectionMs: number;
  /** Most endpoints ejected at once, percent of the endpoints, rounded down, at least one. Default 10. */
  readonly maxEjectionPercent: number;
  /** Success-rate ejection; null turns it off. Default off. */
  readonly successRate: {
    /** Fewest endpoints with `requestVolume` requests in the interval for the analysis to run. */
    readonly minimumHosts: number;
    /** Fewest requests in the interval for an endpoint to take part. */
    readonly requestVolume: number;
    /** An endpoint below `mean - stdevFactor * stdev` of the success rates is ejected. */
    readonly stdevFactor: number;
  } | null;
}

/**
 * Where an ejection is published: the per-endpoint state the balancer reads (the registry's
 * `EndpointState` satisfies it). `ejectedUntil` is a time on the detector's clock; the endpoint
 * is ejected while the clock reads less than it (0: never ejected).
 */
export interface EjectionTarget {
  ejectedUntil: number;
}

/** Why an endpoint was ejected; also the `reason` label of `weir_outlier_ejections_total`. */
export type EjectionReason = 'consecutive-5xx' | 'consecutive-gateway-failure' | 'consecutive-local-origin-failure' | 'success-rate';

/** Told about every ejection (metrics, logs). Called synchronously; must not throw. */
export interface OutlierObserver {
  onEject(endpoint: number, reason: EjectionReason): void;
}

/**
 * Passive outlier detection for one upstream in one worker, with Envoy's semantics
 * (docs/root/intro/arch_overview/upstream/outlier.rst, split local/external mode):
 *
 * ```
 *  record(i, outcome)      success          -> all consecutive counters of i reset
 *   (every attempt)        5xx (not 50x)    -> c5xx++                          , local reset
 *                          502/503/504      -> c5xx++, cGateway++              , local reset
 *                          local failure    -> cLocal++
 *                          a counter reaching its threshold -> eject(i), counters of i reset
 *  tick(now)  every intervalMs:
 *     - ejected endpoints whose time is over come back (bookkeeping; the balancer already
 *       stopped skipping them at `ejectedUntil`)
 *     - an endpoint back for at least baseEjectionMs has its ejection count decremented
 *     - success rate: among endpoints with >= requestVolume requests this interval (needs
 *       >= minimumHosts of them), eject those below mean - stdevFactor * stdev
 *  eject(i): refused when ejected >= max(1, floor(n * maxEjectionPercent / 100)); otherwise
 *     count(i)++ and ejectedUntil = now + min(baseEjectionMs * count(i), maxEjectionMs)
 * ```
 *
 * Envoy's documentation says a host is ejected only if "the number of ejected hosts is below the
 * allowed threshold"; with the threshold counted in whole hosts and rounded down, that would
 * never eject anything in an upstream of fewer than 10 endpoints at the default 10%. Weir follows
 * Envoy's original rule, which its older documentation spells out ("if no hosts have been
 * ejected, Envoy will eject the host immediately") and Envoy 1.31 restored as
 * `always_eject_one_host`: one endpoint may always be ejected. Because the balancer's panic
 * threshold falls back to every endpoint when too few remain, an ejection can never leave an
 * upstream with nothing to pick.
 *
 * Counters that reach a threshold reset whether or not the ejection was allowed, so a refused
 * endpoint needs another full run of failures (Envoy resets them the same way). Outcomes of an
 * ejected endpoint (requests that were already in flight) are ignored. State lives in typed
 * arrays indexed like the upstream's endpoints; nothing is allocated per call.
 */
export class OutlierDetector {
  /** Number of endpoints. */
  readonly size: number;
  private readonly options: OutlierDetectorOptions;
  private readonly targets: readonly EjectionTarget[];
  private readonly clock: Clock;
  private readonly observer: OutlierObserver | null;
  private readonly maxEjected: number;
  /** Largest useful ejection count: beyond it the ejection time is capped anyway. */
  private readonly maxMultiplier: number;
  private readonly c5xx: Uint32Array;
  private readonly cGateway: Uint32Array;
  private readonly cLocal: Uint32Array;
  private readonly ejected: Uint8Array;
  private readonly multiplier: Uint32Array;
  private readonly returnedAt: Float64Array;
  private readonly total: Uint32Array;
  private readonly successes: Uint32Array;
  private readonly rates: Float64Array;
  private readonly rateIndex: Uint32Array;
  private ejectedCount: number;
  private nextAnalysisAt: number;

  /**
   * @param targets one per endpoint, in endpoint order; endpoints already ejected there (state
   *   kept across a reload) count toward the ejection limit.
   */
  constructor(options: OutlierDetectorOptions, targets: readonly EjectionTarget[], clock: Clock, observer: OutlierObserver | null = null) {
    const n = targets.length;
    this.size = n;
    this.options = options;
    this.targets = targets;
    this.clock = clock;
    this.observer = observer;
    this.maxEjected = Math.max(1, Math.floor((n * options.maxEjectionPercent) / 100));
    this.maxMultiplier = Math.max(1, Math.ceil(options.maxEjectionMs / Math.max(1, options.baseEjectionMs)));
    this.c5xx = new Uint32Array(n);
    this.cGateway = new Uint32Array(n);
    this.cLocal = new Uint32Array(n);
    this.ejected = new Uint8Array(n);
    this.multiplier = new Uint32Array(n);
    this.returnedAt = new Float64Array(n);
    this.total = new Uint32Array(n);
    this.successes = new Uint32Array(n);
    this.rates = new Float64Array(n);
    this.rateIndex = new Uint32Array(n);
    const now = clock.now();
    this.ejectedCount = 0;
    for (let i = 0; i < n; i++) {
      if ((targets[i] as EjectionTarget).ejectedUntil > now) {
        this.ejected[i] = 1;
        this.multiplier[i] = 1;
        this.ejectedCount++;
      }
    }
    this.nextAnalysisAt = now + options.intervalMs;
  }

  /** Reports the outcome of one attempt on endpoint `endpoint`. */
  record(endpoint: number, outcome: Outcome): void {
    if (this.ejected[endpoint] === 1) return;
    this.total[endpoint] = (this.total[endpoint] as number) + 1;
    const o = this.options;
    switch (outcome) {
      case OUTCOME_SUCCESS:
        this.successes[endpoint] = (this.successes[endpoint] as number) + 1;
        this.c5xx[endpoint] = 0;
        this.cGateway[endpoint] = 0;
        this.cLocal[endpoint] = 0;
        return;
      case OUTCOME_GATEWAY_ERROR:
        this.cLocal[endpoint] = 0;
        if (o.consecutiveGatewayFailure > 0 && ++this.cGateway[endpoint]! >= o.consecutiveGatewayFailure) {
          this.tryEject(endpoint, 'consecutive-gateway-failure');
          return;
        }
        this.count5xx(endpoint);
        return;
      case OUTCOME_SERVER_ERROR:
        this.cLocal[endpoint] = 0;
        this.cGateway[endpoint] = 0;
        this.count5xx(endpoint);
        return;
      case OUTCOME_LOCAL_FAILURE:
        if (o.consecutiveLocalOriginFailure > 0 && ++this.cLocal[endpoint]! >= o.consecutiveLocalOriginFailure) {
          this.tryEject(endpoint, 'consecutive-local-origin-failure');
        }
        return;
    }
  }

  /**
   * Runs the interval analysis when `intervalMs` has passed since the last one (call it as often
   * as convenient: a shared timer ticks every detector of the worker). Returns whether it ran.
   */
  tick(now: number): boolean {
    if (now < this.nextAnalysisAt) return false;
    this.nextAnalysisAt = now + this.options.intervalMs;
    const base = this.options.baseEjectionMs;
    for (let i = 0; i < this.size; i++) {
      if (this.ejected[i] === 1) {
        // Un-eject when the time is over, or when someone else (a passing active health check)
        // cleared the ejection.
        if ((this.targets[i] as EjectionTarget).ejectedUntil <= now) {
          this.ejected[i] = 0;
          this.ejectedCount--;
          this.returnedAt[i] = now;
          (this.targets[i] as EjectionTarget).ejectedUntil = 0;
        }
      } else if (this.multiplier[i]! > 0 && now - this.returnedAt[i]! >= base) {
        // Healthy for a base ejection time: forgive one past ejection per interval (Envoy).
        this.multiplier[i] = (this.multiplier[i] as number) - 1;
      }
    }
    if (this.options.successRate !== null) this.successRateEjections();
    this.total.fill(0);
    this.successes.fill(0);
    return true;
  }

  /** The analysis interval, ms. */
  get intervalMs(): number {
    return this.options.intervalMs;
  }

  /** True while `endpoint` is ejected (as of the last `record`/`tick`). */
  isEjected(endpoint: number): boolean {
    return this.ejected[endpoint] === 1;
  }

  /** Number of endpoints ejected now. */
  get ejectedEndpoints(): number {
    return this.ejectedCount;
  }

  /** The shared state ejections of `endpoint` are written to. */
  target(endpoint: number): EjectionTarget {
    return this.targets[endpoint] as EjectionTarget;
  }

  /** The ejection count of `endpoint`, the multiplier of its next ejection time minus one. */
  ejections(endpoint: number): number {
    return this.multiplier[endpoint] as number;
  }

  private count5xx(endpoint: number): void {
    const threshold = this.options.consecutive5xx;
    if (threshold > 0 && ++this.c5xx[endpoint]! >= threshold) this.tryEject(endpoint, 'consecutive-5xx');
  }

  /** Ejects `endpoint` unless the ejection limit is reached. Resets its consecutive counters either way. */
  private tryEject(endpoint: number, reason: EjectionReason): void {
    this.c5xx[endpoint] = 0;
    this.cGateway[endpoint] = 0;
    this.cLocal[endpoint] = 0;
    if (this.ejected[endpoint] === 1 || this.ejectedCount >= this.maxEjected) return;
    const m = Math.min(this.multiplier[endpoint]! + 1, this.maxMultiplier);
    this.multiplier[endpoint] = m;
    this.ejected[endpoint] = 1;
    this.ejectedCount++;
    const o = this.options;
    (this.targets[endpoint] as EjectionTarget).ejectedUntil = this.clock.now() + Math.min(o.baseEjectionMs * m, o.maxEjectionMs);
    if (this.observer !== null) this.observer.onEject(endpoint, reason);
  }

  /**
   * Envoy's success-rate outlier analysis over the interval that just ended: the mean and the
   * population standard deviation of the success rates of endpoints with enough requests.
   */
  private successRateEjections(): void {
    const sr = this.options.successRate!;
    const rates = this.rates;
    const index = this.rateIndex;
    let hosts = 0;
    let sum = 0;
    for (let i = 0; i < this.size; i++) {
      const total = this.total[i] as number;
      if (this.ejected[i] === 1 || total < sr.requestVolume || total === 0) continue;
      const rate = (this.successes[i] as number) / total;
      rates[hosts] = rate;
      index[hosts] = i;
      sum += rate;
      hosts++;
    }
    if (hosts < sr.minimumHosts || hosts === 0) return;
    const mean = sum / hosts;
    let squares = 0;
    for (let h = 0; h < hosts; h++) {
      const d = (rates[h] as number) - mean;
      squares += d * d;
    }
    const threshold = mean - sr.stdevFactor * Math.sqrt(squares / hosts);
    for (let h = 0; h < hosts; h++) {
      if ((rates[h] as number) < threshold) this.tryEject(index[h] as number, 'success-rate');
    }
  }
}
