import { DEFAULT_ANALYSIS, DEFAULT_STAGES, parseRolloutRequest } from '../../src/rollout/index';

const config = { listeners: [], routes: [] };

function pointerOf(body: unknown): string | undefined {
  try {
    parseRolloutRequest(body);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('WEIR_ERR_BAD_REQUEST');
    return (err as { pointer?: string }).pointer;
  }
  return undefined;
}

describe('parseRolloutRequest', () => {
  it('fills the defaults: 1, 10, 50, 100 percent, 60 s each, no sticky key', () => {
    const { plan } = parseRolloutRequest({ config });
    expect(plan).toEqual({ stages: DEFAULT_STAGES, sticky: null, analysis: DEFAULT_ANALYSIS });
    expect(DEFAULT_STAGES.map((s) => s.percent)).toEqual([1, 10, 50, 100]);
  });

  it('takes stages, a sticky key and thresholds', () => {
    const { plan } = parseRolloutRequest({
      config,
      stages: [{ percent: 0.5 }, { percent: 25, bakeSeconds: 300, pause: true }],
      sticky: { header: 'X-User' },
      analysis: { minRequests: 100, maxP99Ms: 250 },
    });
    expect(plan.stages).toEqual([
      { percent: 0.5, bakeSeconds: 60, pause: false },
      { percent: 25, bakeSeconds: 300, pause: true },
    ]);
    expect(plan.sticky).toEqual({ header: 'x-user' });
    expect(plan.analysis).toEqual({ ...DEFAULT_ANALYSIS, minRequests: 100, maxP99Ms: 250 });
    expect(parseRolloutRequest({ config, sticky: { cookie: 'sid' } }).plan.sticky).toEqual({ cookie: 'sid' });
    expect(parseRolloutRequest({ config, sticky: { clientAddress: true } }).plan.sticky).toEqual({ clientAddress: true });
  });

  it.each([
    [[], ''],
    [{ stages: [] }, '/config'],
    [{ config: 'x' }, '/config'],
    [{ config, extra: 1 }, '/extra'],
    [{ config, stages: [] }, '/stages'],
    [{ config, stages: [{ percent: 0 }] }, '/stages/0/percent'],
    [{ config, stages: [{ percent: 101 }] }, '/stages/0/percent'],
    [{ config, stages: [{ percent: 10 }, { percent: 10 }] }, '/stages/1/percent'],
    [{ config, stages: [{ percent: 10, bakeSeconds: 0.5 }] }, '/stages/0/bakeSeconds'],
    [{ config, stages: [{ percent: 10, pause: 'yes' }] }, '/stages/0/pause'],
    [{ config, stages: [{ percent: 10, wait: 1 }] }, '/stages/0/wait'],
    [{ config, sticky: { header: 'bad header' } }, '/sticky/header'],
    [{ config, sticky: { header: 'a', cookie: 'b' } }, '/sticky'],
    [{ config, sticky: { clientAddress: false } }, '/sticky'],
    [{ config, analysis: { minRequests: 0 } }, '/analysis/minRequests'],
    [{ config, analysis: { maxP99Ratio: 0.5 } }, '/analysis/maxP99Ratio'],
    [{ config, analysis: { typo: 1 } }, '/analysis/typo'],
  ])('rejects %j at %s', (body, pointer) => {
    expect(pointerOf(body)).toBe(pointer);
  });
});
