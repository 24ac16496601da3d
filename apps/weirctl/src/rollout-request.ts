import type { RolloutAnalysisSettings, RolloutRequest, RolloutStage, RolloutSticky } from './admin-types';
import { usageError } from './cli-error';
import type { CommandLine, FlagSpecs } from './cli-options';

/** The daemon's default stage percents (admin-api.md), used when only `--bake` or `--pause-at` is given. */
export const DEFAULT_STAGE_PERCENTS: readonly number[] = [1, 10, 50, 100];

/** The daemon's default bake per stage, in seconds. */
export const DEFAULT_BAKE_SECONDS = 60;

/** The flags of `rollout start` that shape the request body. */
export const ROLLOUT_REQUEST_FLAGS: FlagSpecs = {
  stages: 'string',
  bake: 'string',
  'pause-at': 'strings',
  sticky: 'string',
  'min-requests': 'string',
  'max-error-rate-increase': 'string',
  'max-error-rate': 'string',
  'max-p99-ratio': 'string',
  'p99-tolerance-ms': 'string',
  'max-p99-ms': 'string',
};

/** Parse a percent list (`1,10,50,100`): 1-20 increasing numbers, 0 < p ≤ 100. */
export function parsePercents(items: readonly string[]): number[] {
  if (items.length < 1 || items.length > 20) throw usageError(`--stages must list 1 to 20 percents; got ${items.length}`);
  const percents = items.map((item) => {
    const value = Number(item.replace(/%$/, ''));
    if (item.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 100) {
      throw usageError(`--stages: every percent must be a number above 0 and at most 100; got "${item}"`);
    }
    return value;
  });
  for (let i = 1; i < percents.length; i++) {
    if ((percents[i] as number) <= (percents[i - 1] as number)) throw usageError(`--stages must increase; got ${percents.join(',')}`);
  }
  return percents;
}

/** Whole seconds of a bake, 1-86400. */
export function bakeSecondsOf(ms: number): number {
  const seconds = ms / 1000;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw usageError(`--bake must be whole seconds from 1s to 24h (86400 s); got ${ms} ms`);
  }
  return seconds;
}

/**
 * The stages: `percents` (default 1,10,50,100), each baking `bakeSeconds` (default 60), the
 * ones in `pauseAt` marked as manual gates. Every `pauseAt` percent must be one of the stages.
 */
export function buildStages(percents: readonly number[] | undefined, bakeSeconds: number | undefined, pauseAt: readonly number[]): RolloutStage[] {
  const list = percents ?? DEFAULT_STAGE_PERCENTS;
  for (const gate of pauseAt) {
    if (!list.includes(gate)) throw usageError(`--pause-at ${gate} names no stage; the stages are ${list.join(',')}`);
  }
  return list.map((percent) => ({ percent, bakeSeconds: bakeSeconds ?? DEFAULT_BAKE_SECONDS, pause: pauseAt.includes(percent) }));
}

/** `header:NAME`, `cookie:NAME` or `address` (the client address). */
export function parseSticky(text: string): RolloutSticky {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text.trim() : text.slice(0, colon).trim();
  const name = colon < 0 ? '' : text.slice(colon + 1).trim();
  if ((kind === 'address' || kind === 'clientAddress') && colon < 0) return { clientAddress: true };
  if (kind === 'header' && name !== '') return { header: name.toLowerCase() };
  if (kind === 'cookie' && name !== '') return { cookie: name };
  throw usageError(`--sticky must be header:NAME, cookie:NAME or address; got "${text}"`);
}

/** The `analysis` thresholds given on the command line, or undefined when none is. */
export function buildAnalysis(line: CommandLine): Partial<RolloutAnalysisSettings> | undefined {
  const analysis: { -readonly [K in keyof RolloutAnalysisSettings]?: number } = {};
  const set = (key: keyof RolloutAnalysisSettings, value: number | undefined): void => {
    if (value !== undefined) analysis[key] = value;
  };
  set('minRequests', line.number('min-requests', 1, 1_000_000_000, true));
  set('maxErrorRateIncrease', line.number('max-error-rate-increase', 0, 1));
  set('maxErrorRate', line.number('max-error-rate', 0, 1));
  set('maxP99Ratio', line.number('max-p99-ratio', 1, 1000));
  set('p99ToleranceMs', line.number('p99-tolerance-ms', 0, 3_600_000));
  set('maxP99Ms', line.number('max-p99-ms', 0, 3_600_000));
  return Object.keys(analysis).length === 0 ? undefined : analysis;
}

/**
 * The body of `POST /admin/rollouts` for `rollout start`: the candidate `config` plus, only when
 * a flag asks for them, `stages` (from `--stages`, `--bake`, `--pause-at`), `sticky` and
 * `analysis`. Without such flags the daemon's defaults apply (admin-api.md).
 */
export function buildRolloutRequest(config: unknown, line: CommandLine): RolloutRequest {
  const stagesText = line.string('stages');
  const percents = stagesText === undefined ? undefined : parsePercents(stagesText.split(',').map((s) => s.trim()));
  const bakeMs = line.duration('bake');
  const bakeSeconds = bakeMs === undefined ? undefined : bakeSecondsOf(bakeMs);
  const pauseAt = line.list('pause-at').map((item) => {
    const value = Number(item.replace(/%$/, ''));
    if (!Number.isFinite(value)) throw usageError(`--pause-at must be a stage percent; got "${item}"`);
    return value;
  });
  const request: { -readonly [K in keyof RolloutRequest]: RolloutRequest[K] } = { config };
  if (percents !== undefined || bakeSeconds !== undefined || pauseAt.length > 0) request.stages = buildStages(percents, bakeSeconds, pauseAt);
  const sticky = line.string('sticky');
  if (sticky !== undefined) request.sticky = parseSticky(sticky);
  const analysis = buildAnalysis(line);
  if (analysis !== undefined) request.analysis = analysis;
  return request;
}
