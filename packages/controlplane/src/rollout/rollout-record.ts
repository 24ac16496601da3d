import type { AnalysisResult } from './rollout-analysis';
import type { AnalysisSettings, RolloutStage, StickyKey } from './rollout-plan';

/** `running` and `paused` are live; `promoted` and `aborted` are final. */
export type RolloutState = 'running' | 'paused' | 'promoted' | 'aborted';

/** Who ended a rollout that did not promote. */
export type AbortedBy = 'analysis' | 'operator' | 'restart' | 'apply-failed';

export type RolloutEventKind = 'started' | 'advanced' | 'paused' | 'resumed' | 'promoted' | 'aborted';

/** One transition, with who caused it (a token's name, or `analysis`). */
export interface RolloutEvent {
  readonly at: string;
  readonly event: RolloutEventKind;
  /** The stage index after the transition. */
  readonly stage: number;
  readonly principal: string;
  readonly reason: string | null;
}

export type RolloutOutcome =
  | { readonly result: 'promoted'; readonly version: string }
  | { readonly result: 'aborted'; readonly by: AbortedBy; readonly reason: string };

/** The last analysis, as the API shows it. */
export interface AnalysisSnapshot extends AnalysisResult {
  readonly at: string;
}

/**
 * A rollout as the API shows it and the state directory keeps it (plain JSON). Only the rollout
 * manager changes it, through `RolloutMachine`.
 */
export interface RolloutRecord {
  readonly id: string;
  state: RolloutState;
  /** Index into `stages` of the stage running now (or when it ended). */
  stage: number;
  readonly stableVersion: string;
  readonly candidateVersion: string;
  readonly stages: readonly RolloutStage[];
  readonly sticky: StickyKey | null;
  readonly analysis: AnalysisSettings;
  stageStartedAt: string;
  readonly startedAt: string;
  endedAt: string | null;
  readonly principal: string;
  /** Why the rollout is paused: `gate` (a stage's manual gate) or `operator`; null otherwise. */
  pausedBy: 'gate' | 'operator' | null;
  lastAnalysis: AnalysisSnapshot | null;
  outcome: RolloutOutcome | null;
  readonly events: RolloutEvent[];
}

/** True for `running` and `paused`. */
export function isLive(record: RolloutRecord): boolean {
  return record.state === 'running' || record.state === 'paused';
}
