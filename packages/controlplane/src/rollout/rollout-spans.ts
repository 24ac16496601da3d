import { NOOP_SPAN, type ControlAttributes, type ControlSpan, type ControlTracer, type SpanParent } from '../tracing/index';
import type { ArmFigures } from './rollout-analysis';
import type { RolloutEvent, RolloutRecord } from './rollout-record';

/**
 * How a stage ended, as its span's `weir.rollout.stage.verdict` says it:
 * `passed` (the analysis found it healthy once baked, through its gate if it had one),
 * `operator-promoted` (an operator promoted past it before the analysis passed it),
 * `breach` (the analysis aborted the rollout), `aborted` (an operator, a restart or a failed
 * promotion ended it), `interrupted` (the primary shut down during it).
 */
export type StageVerdict = 'passed' | 'operator-promoted' | 'breach' | 'aborted' | 'interrupted';

function arm(prefix: string, figures: ArmFigures, into: ControlAttributes): void {
  into[`${prefix}.requests`] = figures.requests;
  into[`${prefix}.errors`] = figures.errors;
  into[`${prefix}.error_rate`] = figures.errorRate;
  if (figures.p99Ms !== null) into[`${prefix}.p99_ms`] = figures.p99Ms;
}

/**
 * The spans of one rollout (issue 18), fed by `RolloutManager` with each transition:
 *
 * ```
 *   weir.rollout                      begin ............................. promoted / aborted
 *   |- weir.rollout.candidate         build + prepare on every worker
 *   |- weir.rollout.stage (0)                   started ...... advanced
 *   |- weir.rollout.stage (1)                                  advanced ... promoted
 *   `- weir.config.apply (rollout)                                      promotion
 * ```
 *
 * The root carries the `weir.rollout.verdict` event. Each stage span ends with the analysis as
 * it stood at that moment (the last window the rollout manager analysed). With nothing recorded
 * every span is `NOOP_SPAN` and this costs a few field writes per transition.
 */
export class RolloutSpans {
  private readonly tracer: ControlTracer;
  private readonly root: ControlSpan;
  private candidate: ControlSpan;
  private stage: ControlSpan = NOOP_SPAN;
  /** The stage open now passed its analysis and waits at its gate. */
  private gatePassed = false;

  /** Starts the root span and the candidate's, when a rollout's turn in the apply queue comes. */
  constructor(tracer: ControlTracer, principal: string) {
    this.tracer = tracer;
    this.root = tracer.startSpan('weir.rollout', { 'weir.principal': principal });
    this.candidate = this.root.context === null ? NOOP_SPAN : tracer.startSpan('weir.rollout.candidate', {}, this.root.context);
  }

  /** The parent of the applies made for this rollout (its promotion); null when not recorded. */
  get parent(): SpanParent | null {
    return this.root.context;
  }

  /** The rollout never started: the candidate was invalid, not rolloutable, or a worker refused it. */
  failed(code: string): void {
    this.candidate.end(false, code);
    this.root.setAttribute('weir.rollout.state', 'not-started');
    this.root.end(false, code);
  }

  /** After each transition of `record` (read now, never kept), `started` first. */
  transitioned(record: RolloutRecord, event: RolloutEvent): void {
    switch (event.event) {
      case 'started':
        this.root.setAttribute('weir.rollout.id', record.id);
        this.root.setAttribute('weir.rollout.stable_version', record.stableVersion);
        this.root.setAttribute('weir.rollout.candidate_version', record.candidateVersion);
        this.root.setAttribute('weir.rollout.stages', record.stages.length);
        this.candidate.setAttribute('weir.config.version', record.candidateVersion);
        this.candidate.end(true);
        this.openStage(record);
        break;
      case 'advanced':
        this.closeStage(record, event.principal === 'analysis' || this.gatePassed ? 'passed' : 'operator-promoted');
        this.openStage(record);
        break;
      case 'paused':
        if (event.principal === 'analysis') this.gatePassed = true;
        this.stage.addEvent('weir.rollout.paused', { 'weir.rollout.paused_by': record.pausedBy ?? 'operator', 'weir.principal': event.principal });
        break;
      case 'resumed':
        this.gatePassed = false;
        this.stage.addEvent('weir.rollout.resumed', { 'weir.principal': event.principal });
        break;
      case 'promoted':
        this.closeStage(record, event.principal === 'analysis' || this.gatePassed ? 'passed' : 'operator-promoted');
        this.finish(record, event);
        break;
      case 'aborted':
        this.closeStage(record, record.outcome?.result === 'aborted' && record.outcome.by === 'analysis' ? 'breach' : 'aborted');
        this.finish(record, event);
        break;
    }
  }

  /** The primary is shutting down with the rollout live: end what is open (a restart aborts it). */
  interrupted(record: RolloutRecord): void {
    this.closeStage(record, 'interrupted');
    this.root.setAttribute('weir.rollout.state', record.state);
    this.root.end(false, 'interrupted');
  }

  private openStage(record: RolloutRecord): void {
    this.gatePassed = false;
    const stage = record.stages[record.stage];
    const attributes: ControlAttributes = { 'weir.rollout.id': record.id, 'weir.rollout.stage': record.stage };
    if (stage !== undefined) {
      attributes['weir.rollout.share_percent'] = stage.percent;
      attributes['weir.rollout.bake_seconds'] = stage.bakeSeconds;
      attributes['weir.rollout.gate'] = stage.pause;
    }
    this.stage = this.root.context === null ? NOOP_SPAN : this.tracer.startSpan('weir.rollout.stage', attributes, this.root.context);
  }

  private closeStage(record: RolloutRecord, verdict: StageVerdict): void {
    const span = this.stage;
    this.stage = NOOP_SPAN;
    span.setAttribute('weir.rollout.stage.verdict', verdict);
    const analysis = record.lastAnalysis;
    if (analysis !== null) {
      const attributes: ControlAttributes = { 'weir.rollout.analysis.verdict': analysis.verdict };
      arm('weir.rollout.stable', analysis.stable, attributes);
      arm('weir.rollout.candidate', analysis.candidate, attributes);
      if (analysis.reasons.length > 0) attributes['weir.rollout.analysis.reasons'] = analysis.reasons.join('; ');
      for (const key of Object.keys(attributes)) span.setAttribute(key, attributes[key] as string | number);
    }
    span.end(verdict !== 'breach' && verdict !== 'interrupted', verdict === 'breach' ? 'breach' : verdict === 'interrupted' ? 'interrupted' : undefined);
  }

  private finish(record: RolloutRecord, event: RolloutEvent): void {
    const outcome = record.outcome;
    const verdict: ControlAttributes = { 'weir.rollout.verdict': record.state, 'weir.principal': event.principal };
    if (outcome?.result === 'aborted') {
      verdict['weir.rollout.aborted_by'] = outcome.by;
      verdict['weir.rollout.reason'] = outcome.reason;
    }
    this.root.addEvent('weir.rollout.verdict', verdict);
    this.root.setAttribute('weir.rollout.state', record.state);
    this.root.setAttribute('weir.rollout.stage', record.stage);
    if (outcome?.result === 'aborted') this.root.end(false, `aborted:${outcome.by}`);
    else this.root.end(true);
  }
}
