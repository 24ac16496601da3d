import { WeirError } from '@weir/errors';
import type { AnalysisResult } from './rollout-analysis';
import { isLive, type AbortedBy, type RolloutEventKind, type RolloutRecord } from './rollout-record';

/** What the manager must do after a transition; `none` when nothing changed on the workers. */
export type RolloutAction =
  | { readonly kind: 'none' }
  /** Give the candidate the share of stage `stage` and start a new analysis window. */
  | { readonly kind: 'advance'; readonly stage: number }
  /** Apply the candidate as the running config, then call `promoted()`. */
  | { readonly kind: 'promote' }
  /** Drop the candidate on every worker. */
  | { readonly kind: 'abort' };

const NONE: RolloutAction = { kind: 'none' };

/**
 * The rollout state machine: pure, over one record, with an injected wall clock (epoch ms).
 *
 * ```
 *   running --analysis breach--------------------------------------> aborted
 *   running --healthy and baked--> next stage (running)
 *                              \-> stage has a gate --> paused(gate) --promote--> next stage
 *                              \-> last stage ------------------------------------> promoted
 *   running --pause--> paused(operator) --resume--> running (the stage bakes again)
 *   running|paused --promote--> next stage, or promoted at the last (or with full)
 *   running|paused --abort (operator, restart, apply failure) --------------------> aborted
 * ```
 *
 * A paused rollout keeps its share and its analysis: a breach aborts it too; only advancing
 * waits.
 */
export class RolloutMachine {
  constructor(
    readonly record: RolloutRecord,
    private readonly now: () => number,
  ) {}

  /** Record the window's analysis; decide whether the rollout advances, promotes or aborts. */
  analysed(result: AnalysisResult): RolloutAction {
    const r = this.record;
    if (!isLive(r)) return NONE;
    r.lastAnalysis = { ...result, at: this.iso() };
    if (result.verdict === 'breach') return this.abort('analysis', 'analysis', result.reasons.join('; '));
    if (r.state !== 'running' || result.verdict !== 'healthy') return NONE;
    const stage = r.stages[r.stage];
    if (stage === undefined || this.now() - Date.parse(r.stageStartedAt) < stage.bakeSeconds * 1000) return NONE;
    if (stage.pause) {
      r.state = 'paused';
      r.pausedBy = 'gate';
      this.event('paused', 'analysis', `stage ${r.stage} (${stage.percent}%) passed; waiting at its gate for promote`);
      return NONE;
    }
    return this.next('analysis', `stage ${r.stage} (${stage.percent}%) passed`);
  }

  /** Operator pause. @throws WEIR_ERR_ROLLOUT_STATE unless running. */
  pause(principal: string): RolloutAction {
    this.require(this.record.state === 'running', 'only a running rollout can be paused');
    this.record.state = 'paused';
    this.record.pausedBy = 'operator';
    this.event('paused', principal, null);
    return NONE;
  }

  /** Operator resume: the current stage bakes again. @throws WEIR_ERR_ROLLOUT_STATE unless paused. */
  resume(principal: string): RolloutAction {
    this.require(this.record.state === 'paused', 'only a paused rollout can be resumed');
    this.record.state = 'running';
    this.record.pausedBy = null;
    this.record.stageStartedAt = this.iso();
    this.event('resumed', principal, null);
    return { kind: 'advance', stage: this.record.stage };
  }

  /** Advance past the current stage (its gate included), or promote now with `full`. */
  promote(principal: string, full: boolean): RolloutAction {
    this.require(isLive(this.record), 'the rollout has ended');
    if (full) return { kind: 'promote' };
    return this.next(principal, 'promoted past its stage by an operator');
  }

  /** End the rollout without promoting. @throws WEIR_ERR_ROLLOUT_STATE when it has ended. */
  abort(by: AbortedBy, principal: string, reason: string): RolloutAction {
    const r = this.record;
    this.require(isLive(r), 'the rollout has ended');
    r.state = 'aborted';
    r.pausedBy = null;
    r.endedAt = this.iso();
    r.outcome = { result: 'aborted', by, reason };
    this.event('aborted', principal, reason);
    return { kind: 'abort' };
  }

  /** The candidate is now the running config. */
  promoted(principal: string): void {
    const r = this.record;
    r.state = 'promoted';
    r.pausedBy = null;
    r.endedAt = this.iso();
    r.outcome = { result: 'promoted', version: r.candidateVersion };
    this.event('promoted', principal, null);
  }

  private next(principal: string, reason: string): RolloutAction {
    const r = this.record;
    if (r.stage >= r.stages.length - 1) return { kind: 'promote' };
    r.stage += 1;
    r.state = 'running';
    r.pausedBy = null;
    r.stageStartedAt = this.iso();
    this.event('advanced', principal, reason);
    return { kind: 'advance', stage: r.stage };
  }

  private event(event: RolloutEventKind, principal: string, reason: string | null): void {
    this.record.events.push({ at: this.iso(), event, stage: this.record.stage, principal, reason });
  }

  private require(condition: boolean, message: string): void {
    if (!condition) throw new WeirError('WEIR_ERR_ROLLOUT_STATE', `${message} (rollout ${this.record.id} is ${this.record.state})`);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
