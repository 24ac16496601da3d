import { WeirError } from '@weir/errors';

/** One stage: the candidate's share, how long it bakes, and whether it waits for `promote` after. */
export interface RolloutStage {
  /** Share of requests sent to the candidate, in percent: more than 0, at most 100. */
  readonly percent: number;
  /** Seconds the stage runs before its verdict can advance the rollout, 1-86400. */
  readonly bakeSeconds: number;
  /** A manual gate: once the bake passes, the rollout pauses until `promote`. */
  readonly pause: boolean;
}

/** The request key that keeps one client on one arm (the API's shape). */
export type StickyKey = { readonly header: string } | { readonly cookie: string } | { readonly clientAddress: true };

/** The thresholds of the analysis (admin-api.md, "Rollouts"). */
export interface AnalysisSettings {
  /** Candidate requests needed in the stage window before any verdict. */
  readonly minRequests: number;
  /** Largest allowed excess of the candidate's error rate over stable's (0.01 = 1 point). */
  readonly maxErrorRateIncrease: number;
  /** Candidate p99 may be at most stable p99 × this + `p99ToleranceMs`. */
  readonly maxP99Ratio: number;
  readonly p99ToleranceMs: number;
  /** Absolute ceiling of the candidate's error rate, or null. */
  readonly maxErrorRate: number | null;
  /** Absolute ceiling of the candidate's p99 in milliseconds, or null. */
  readonly maxP99Ms: number | null;
}

/** Everything a rollout follows besides the candidate config. */
export interface RolloutPlan {
  readonly stages: readonly RolloutStage[];
  readonly sticky: StickyKey | null;
  readonly analysis: AnalysisSettings;
}

/** 1%, 10%, 50%, 100%, one minute each (the default). */
export const DEFAULT_STAGES: readonly RolloutStage[] = Object.freeze(
  [1, 10, 50, 100].map((percent) => Object.freeze({ percent, bakeSeconds: 60, pause: false })),
);

export const DEFAULT_ANALYSIS: AnalysisSettings = Object.freeze({
  minRequests: 20,
  maxErrorRateIncrease: 0.01,
  maxP99Ratio: 1.5,
  p99ToleranceMs: 10,
  maxErrorRate: null,
  maxP99Ms: null,
});

const MAX_STAGES = 20;
const MAX_BAKE_SECONDS = 86_400;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

type Fields = Readonly<Record<string, unknown>>;

function bad(pointer: string, message: string): WeirError {
  return new WeirError('WEIR_ERR_BAD_REQUEST', `${pointer}: ${message}`, { pointer });
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Fields, allowed: readonly string[], pointer: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw bad(`${pointer}/${key}`, 'unknown field');
}

function number(value: unknown, pointer: string, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw bad(pointer, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

/**
 * Checks the body of `POST /admin/rollouts` and fills the defaults. The candidate config is
 * returned unchecked: the apply manager validates it like any config. Throws
 * WEIR_ERR_BAD_REQUEST naming the JSON pointer of the first problem.
 */
export function parseRolloutRequest(body: unknown): { readonly config: unknown; readonly plan: RolloutPlan } {
  if (!isObject(body)) throw bad('', 'the body must be an object with a "config"');
  onlyKeys(body, ['config', 'stages', 'sticky', 'analysis'], '');
  if (!isObject(body['config'])) throw bad('/config', 'must be a config object');
  return {
    config: body['config'],
    plan: {
      stages: body['stages'] === undefined ? DEFAULT_STAGES : parseStages(body['stages']),
      sticky: body['sticky'] === undefined || body['sticky'] === null ? null : parseSticky(body['sticky']),
      analysis: body['analysis'] === undefined ? DEFAULT_ANALYSIS : parseAnalysis(body['analysis']),
    },
  };
}

function parseStages(value: unknown): RolloutStage[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_STAGES) throw bad('/stages', `must be a list of 1 to ${MAX_STAGES} stages`);
  const stages: RolloutStage[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = `/stages/${i}`;
    const stage: unknown = value[i];
    if (!isObject(stage)) throw bad(at, 'must be an object with "percent"');
    onlyKeys(stage, ['percent', 'bakeSeconds', 'pause'], at);
    const percent = number(stage['percent'], `${at}/percent`, Number.MIN_VALUE, 100);
    if (i > 0 && percent <= (stages[i - 1] as RolloutStage).percent) throw bad(`${at}/percent`, 'must be larger than the previous stage\'s');
    const bakeSeconds = stage['bakeSeconds'] === undefined ? 60 : number(stage['bakeSeconds'], `${at}/bakeSeconds`, 1, MAX_BAKE_SECONDS, true);
    const pause = stage['pause'] ?? false;
    if (typeof pause !== 'boolean') throw bad(`${at}/pause`, 'must be true or false');
    stages.push({ percent, bakeSeconds, pause });
  }
  return stages;
}

function parseSticky(value: unknown): StickyKey {
  if (!isObject(value) || Object.keys(value).length !== 1) throw bad('/sticky', 'must be {"header":NAME}, {"cookie":NAME} or {"clientAddress":true}');
  if (value['clientAddress'] === true) return { clientAddress: true };
  for (const kind of ['header', 'cookie'] as const) {
    const name = value[kind];
    if (name === undefined) continue;
    if (typeof name !== 'string' || !TOKEN.test(name)) throw bad(`/sticky/${kind}`, 'must be a header or cookie name (an HTTP token)');
    return kind === 'header' ? { header: name.toLowerCase() } : { cookie: name };
  }
  throw bad('/sticky', 'must be {"header":NAME}, {"cookie":NAME} or {"clientAddress":true}');
}

function parseAnalysis(value: unknown): AnalysisSettings {
  if (!isObject(value)) throw bad('/analysis', 'must be an object');
  onlyKeys(value, Object.keys(DEFAULT_ANALYSIS), '/analysis');
  const d = DEFAULT_ANALYSIS;
  const pick = (key: keyof AnalysisSettings, min: number, max: number, integer = false): number =>
    value[key] === undefined ? (d[key] as number) : number(value[key], `/analysis/${key}`, min, max, integer);
  const nullable = (key: 'maxErrorRate' | 'maxP99Ms', max: number): number | null =>
    value[key] === undefined || value[key] === null ? null : number(value[key], `/analysis/${key}`, 0, max);
  return {
    minRequests: pick('minRequests', 1, 1_000_000, true),
    maxErrorRateIncrease: pick('maxErrorRateIncrease', 0, 1),
    maxP99Ratio: pick('maxP99Ratio', 1, 1000),
    p99ToleranceMs: pick('p99ToleranceMs', 0, 600_000),
    maxErrorRate: nullable('maxErrorRate', 1),
    maxP99Ms: nullable('maxP99Ms', 600_000),
  };
}
