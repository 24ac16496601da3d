import { quantileMs, type ArmSnapshot, type ArmTotals } from './arm-totals';
import type { AnalysisSettings } from './rollout-plan';

/** One arm's figures over the stage window, as the API shows them. */
export interface ArmFigures {
  readonly requests: number;
  readonly errors: number;
  /** errors / requests; 0 without requests. */
  readonly errorRate: number;
  /** p99 latency in milliseconds, null without requests. */
  readonly p99Ms: number | null;
}

/**
 * The analysis of one window: `breach` (abort), `healthy` (the candidate may advance once its
 * stage has baked) or `insufficient` (too few candidate requests for any verdict).
 */
export interface AnalysisResult {
  readonly verdict: 'breach' | 'healthy' | 'insufficient';
  readonly stable: ArmFigures;
  readonly candidate: ArmFigures;
  /** Why: every breached threshold, or what is missing. */
  readonly reasons: readonly string[];
}

/**
 * Requests an arm needs before its p99 is compared: below 100 samples a "p99" is the maximum,
 * and one garbage-collection pause would abort a healthy candidate.
 */
export const MIN_REQUESTS_FOR_P99 = 100;

function figures(totals: ArmTotals): ArmFigures {
  const p99 = quantileMs(totals, 0.99);
  return {
    requests: totals.requests,
    errors: totals.errors,
    errorRate: totals.requests === 0 ? 0 : totals.errors / totals.requests,
    p99Ms: p99 === null ? null : Math.round(p99 * 100) / 100,
  };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

/**
 * Compares the candidate with stable over one window (DESIGN.md section 7: "the primary's
 * analysis is a pure function of the two arms' counters and histograms over the stage window").
 *
 * No verdict below `minRequests` candidate requests. Then the candidate is in breach when its
 * error rate exceeds stable's by more than `maxErrorRateIncrease` or exceeds `maxErrorRate`, or
 * when its p99 exceeds `maxP99Ms`, or exceeds stable's × `maxP99Ratio` + `p99ToleranceMs`. The
 * p99 comparisons wait until the arms have `MIN_REQUESTS_FOR_P99` requests (and `minRequests`)
 * each: a p99 of a handful of requests is their maximum and compares nothing.
 */
export function analyseWindow(window: ArmSnapshot, settings: AnalysisSettings): AnalysisResult {
  const stable = figures(window.stable);
  const candidate = figures(window.candidate);
  if (candidate.requests < settings.minRequests) {
    return { verdict: 'insufficient', stable, candidate, reasons: [`${candidate.requests} of ${settings.minRequests} candidate requests needed for a verdict`] };
  }
  const reasons: string[] = [];
  if (candidate.errorRate > stable.errorRate + settings.maxErrorRateIncrease) {
    reasons.push(`candidate error rate ${percent(candidate.errorRate)} exceeds stable's ${percent(stable.errorRate)} by more than ${percent(settings.maxErrorRateIncrease)}`);
  }
  if (settings.maxErrorRate !== null && candidate.errorRate > settings.maxErrorRate) {
    reasons.push(`candidate error rate ${percent(candidate.errorRate)} exceeds maxErrorRate ${percent(settings.maxErrorRate)}`);
  }
  const enough = Math.max(settings.minRequests, MIN_REQUESTS_FOR_P99);
  const c99 = candidate.requests >= enough ? candidate.p99Ms : null;
  if (c99 !== null && settings.maxP99Ms !== null && c99 > settings.maxP99Ms) {
    reasons.push(`candidate p99 ${c99} ms exceeds maxP99Ms ${settings.maxP99Ms} ms`);
  }
  const s99 = stable.p99Ms;
  if (c99 !== null && s99 !== null && stable.requests >= enough) {
    const limit = s99 * settings.maxP99Ratio + settings.p99ToleranceMs;
    if (c99 > limit) reasons.push(`candidate p99 ${c99} ms exceeds stable's ${s99} ms x ${settings.maxP99Ratio} + ${settings.p99ToleranceMs} ms`);
  }
  return { verdict: reasons.length === 0 ? 'healthy' : 'breach', stable, candidate, reasons };
}
