/**
 * Outlier module: passive outlier detection and ejection per upstream and worker, a pure state
 * machine over an injected clock (STYLE.md rules 9 and 10).
 */
export { OutlierDetector } from './outlier-detector';
export type { OutlierDetectorOptions, EjectionTarget, EjectionReason, OutlierObserver } from './outlier-detector';
export {
  OUTCOME_SUCCESS,
  OUTCOME_SERVER_ERROR,
  OUTCOME_GATEWAY_ERROR,
  OUTCOME_LOCAL_FAILURE,
  outcomeOfStatus,
} from './outcome';
export type { Outcome } from './outcome';
export { outlierKey } from './outlier-key';
