import type { ArmStats, Rollout, RolloutEvent } from './admin-types';
import { formatDuration } from './duration';

/**
 * How a rollout is shown: pure functions of the rollout resource (plus the terminal width and
 * the current time for "baked so far"), so every rendering is unit-tested without a terminal.
 * rollout-progress.ts decides when to draw them.
 *
 * The stage bar marks each stage: ✓ passed, ▶ current, ⏸ current and paused, ✗ where it
 * aborted, · still to come:
 *
 *     [1%] ✓ [10%] ▶ [50%] · [100%] ·
 */
export function stageBar(rollout: Rollout): string {
  return rollout.stages
    .map((stage, i) => `[${formatPercent(stage.percent)}] ${stageMark(rollout, i)}`)
    .join(' ');
}

function stageMark(rollout: Rollout, index: number): string {
  if (rollout.state === 'promoted') return '✓';
  if (index < rollout.stage) return '✓';
  if (index > rollout.stage) return '·';
  if (rollout.state === 'aborted') return '✗';
  if (rollout.state === 'paused') return '⏸';
  return '▶';
}

/** `1%`, `0.5%`, `100%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(3))}%`;
}

/** An error rate as a percentage with two decimals, `-` when unknown. */
export function formatRate(rate: number | null | undefined): string {
  return typeof rate === 'number' ? `${(rate * 100).toFixed(2)}%` : '-';
}

/** A latency in ms with one decimal, `-` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  return typeof ms === 'number' ? `${ms.toFixed(1)}ms` : '-';
}

/** How long the current stage has baked, from `stageStartedAt` (0 when unknown or in the future). */
export function bakedMs(rollout: Rollout, now: number): number {
  const started = rollout.stageStartedAt === null ? Number.NaN : Date.parse(rollout.stageStartedAt);
  return Number.isFinite(started) ? Math.max(0, now - started) : 0;
}

/** `stage 2/4 10%` for the current stage. */
function stageLabel(rollout: Rollout): string {
  const stage = rollout.stages[rollout.stage];
  const percent = stage === undefined ? '' : ` ${formatPercent(stage.percent)}`;
  return `stage ${rollout.stage + 1}/${rollout.stages.length}${percent}`;
}

/** `baked 42s/1m 00s` for the current stage. */
function bakeLabel(rollout: Rollout, now: number): string {
  const stage = rollout.stages[rollout.stage];
  const of = stage === undefined ? '' : `/${formatDuration(stage.bakeSeconds * 1000)}`;
  return `baked ${formatDuration(bakedMs(rollout, now))}${of}`;
}

function armLabel(name: string, arm: ArmStats | undefined): string {
  if (arm === undefined) return `${name} -`;
  return `${name} ${arm.requests} req ${formatRate(arm.errorRate)} err p99 ${formatMs(arm.p99Ms)}`;
}

/** The outcome sentence of a final rollout: `promoted: v-3f2a… serves all traffic` or `aborted by analysis: …`. */
export function outcomeText(rollout: Rollout): string {
  const outcome = rollout.outcome;
  if (rollout.state === 'promoted') {
    const version = outcome?.result === 'promoted' ? outcome.version : rollout.candidateVersion;
    return `promoted: ${version} serves all traffic`;
  }
  if (rollout.state === 'aborted') {
    if (outcome?.result !== 'aborted') return `aborted: ${rollout.stableVersion} keeps serving`;
    const reason = outcome.reason === null || outcome.reason === '' ? '' : `: ${outcome.reason}`;
    return `aborted by ${outcome.by}${reason}; ${rollout.stableVersion} keeps serving`;
  }
  return rollout.state;
}

/**
 * One plain line for a rollout update (no ANSI codes), for logs and CI:
 * `rollout 7 running stage 2/4 10% baked 42s/1m 00s | stable 9800 req 0.03% err p99 12.1ms | candidate 120 req ... | wait: baking: 42 s of 60 s`
 */
export function rolloutLine(rollout: Rollout, now: number): string {
  if (rollout.state === 'promoted' || rollout.state === 'aborted') return `rollout ${rollout.id} ${outcomeText(rollout)}`;
  const parts = [`rollout ${rollout.id} ${rollout.state} ${stageLabel(rollout)} ${bakeLabel(rollout, now)}`];
  const analysis = rollout.lastAnalysis;
  if (analysis !== null) {
    parts.push(armLabel('stable', analysis.stable), armLabel('candidate', analysis.candidate));
    parts.push(`${analysis.verdict}${analysis.reasons.length > 0 ? `: ${analysis.reasons.join('; ')}` : ''}`);
  }
  return parts.join(' | ');
}

/** One plain line for a transition: `rollout 7 advanced to stage 2/4 10% by analysis: stage 0 passed`. */
export function eventLine(rollout: Rollout, event: RolloutEvent): string {
  const stage = rollout.stages[event.stage];
  const where = stage === undefined ? '' : ` stage ${event.stage + 1}/${rollout.stages.length} ${formatPercent(stage.percent)}`;
  const by = event.principal === null ? '' : ` by ${event.principal}`;
  const reason = event.reason === null || event.reason === '' ? '' : `: ${event.reason}`;
  return `rollout ${rollout.id} ${event.event}${where}${by}${reason}`;
}

/** Cut a line to `width` columns (with an ellipsis). */
export function fitWidth(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}

/**
 * The live panel drawn (and redrawn) on a terminal: the versions, the stage bar, the current
 * stage and its bake, both arms' numbers side by side, the verdict and its reasons. Every line
 * fits `width`.
 */
export function rolloutPanel(rollout: Rollout, width: number, now: number): string[] {
  const lines = [`rollout ${rollout.id}  ${rollout.state}  ${rollout.stableVersion} → ${rollout.candidateVersion}`, stageBar(rollout)];
  if (rollout.state === 'promoted' || rollout.state === 'aborted') {
    lines.push(outcomeText(rollout));
  } else {
    const stage = rollout.stages[rollout.stage];
    const gate = stage?.pause === true ? ', manual gate' : '';
    const paused = rollout.state === 'paused' ? '  (paused: "weirctl rollout promote" or "resume" continues)' : '';
    lines.push(`${stageLabel(rollout)} of traffic, ${bakeLabel(rollout, now)}${gate}${paused}`);
  }
  const analysis = rollout.lastAnalysis;
  if (analysis !== null) {
    const row = (name: string, arm: ArmStats | undefined): string =>
      `${name.padEnd(10)}${String(arm?.requests ?? '-').padStart(10)}${String(arm?.errors ?? '-').padStart(8)}${formatRate(arm?.errorRate).padStart(9)}${formatMs(arm?.p99Ms).padStart(11)}`;
    lines.push(`${''.padEnd(10)}${'requests'.padStart(10)}${'errors'.padStart(8)}${'rate'.padStart(9)}${'p99'.padStart(11)}`);
    lines.push(row('stable', analysis.stable), row('candidate', analysis.candidate));
    lines.push(`verdict ${analysis.verdict}`);
    for (const reason of analysis.reasons) lines.push(`  - ${reason}`);
  }
  return lines.map((line) => fitWidth(line, width));
}
