/**
 * The rollout module (issue 11): staged rollouts of a candidate config inside the proxy.
 *
 * - `parseRolloutRequest` (pure): the body of `POST /admin/rollouts`, defaults filled in.
 * - `readArmTotals`, `windowBetween`, `quantileMs`, `analyseWindow` (pure): the two arms'
 *   counters and histograms over a stage window, and the verdict.
 * - `RolloutMachine` (pure, injected clock): the states and transitions.
 * - `RolloutManager`: the I/O around them (fleet, apply manager, metrics, persistence, timer).
 */
export { parseRolloutRequest, DEFAULT_STAGES, DEFAULT_ANALYSIS } from './rollout-plan';
export type { RolloutPlan, RolloutStage, StickyKey, AnalysisSettings } from './rollout-plan';
export { readArmTotals, windowBetween, quantileMs } from './arm-totals';
export type { ArmSnapshot, ArmTotals, MetricFamilyLike } from './arm-totals';
export { analyseWindow } from './rollout-analysis';
export type { AnalysisResult, ArmFigures } from './rollout-analysis';
export { RolloutMachine } from './rollout-machine';
export type { RolloutAction } from './rollout-machine';
export { checkRolloutable } from './rollout-candidate';
export { RolloutHistoryFile, ROLLOUTS_FILE, ROLLOUT_HISTORY_SIZE } from './rollout-history';
export type { RolloutPersistence } from './rollout-history';
export { RolloutManager } from './rollout-manager';
export { RolloutSpans } from './rollout-spans';
export type { StageVerdict } from './rollout-spans';
export type { RolloutApplier, RolloutFleet, RolloutManagerOptions } from './rollout-manager';
export { isLive } from './rollout-record';
export type { AbortedBy, RolloutEvent, RolloutEventKind, RolloutOutcome, RolloutRecord, RolloutState } from './rollout-record';
