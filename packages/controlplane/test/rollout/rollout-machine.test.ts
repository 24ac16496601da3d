import { RolloutMachine, type AnalysisResult, type RolloutRecord } from '../../src/rollout/index';

const healthy: AnalysisResult = {
  verdict: 'healthy',
  stable: { requests: 100, errors: 0, errorRate: 0, p99Ms: 5 },
  candidate: { requests: 50, errors: 0, errorRate: 0, p99Ms: 5 },
  reasons: [],
};
const breach: AnalysisResult = { ...healthy, verdict: 'breach', reasons: ['too many errors'] };
const insufficient: AnalysisResult = { ...healthy, verdict: 'insufficient', reasons: ['3 of 20'] };

function record(stages: { percent: number; bakeSeconds: number; pause: boolean }[]): RolloutRecord {
  return {
    id: '1',
    state: 'running',
    stage: 0,
    stableVersion: 'v-a',
    candidateVersion: 'v-b',
    stages,
    sticky: null,
    analysis: { minRequests: 20, maxErrorRateIncrease: 0.01, maxP99Ratio: 1.5, p99ToleranceMs: 10, maxErrorRate: null, maxP99Ms: null },
    stageStartedAt: new Date(0).toISOString(),
    startedAt: new Date(0).toISOString(),
    endedAt: null,
    principal: 'ci',
    pausedBy: null,
    lastAnalysis: null,
    outcome: null,
    events: [],
  };
}

describe('RolloutMachine', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 0;
  });

  it('advances a healthy stage only once it has baked, then promotes after the last', () => {
    const m = new RolloutMachine(record([{ percent: 10, bakeSeconds: 60, pause: false }, { percent: 100, bakeSeconds: 60, pause: false }]), clock);
    now = 59_999;
    expect(m.analysed(healthy)).toEqual({ kind: 'none' });
    now = 60_000;
    expect(m.analysed(insufficient)).toEqual({ kind: 'none' });
    expect(m.analysed(healthy)).toEqual({ kind: 'advance', stage: 1 });
    expect(m.record.stageStartedAt).toBe(new Date(60_000).toISOString());
    now = 120_000;
    expect(m.analysed(healthy)).toEqual({ kind: 'promote' });
    m.promoted('analysis');
    expect([m.record.state, m.record.outcome]).toEqual(['promoted', { result: 'promoted', version: 'v-b' }]);
    expect(m.record.events.map((e) => e.event)).toEqual(['advanced', 'promoted']);
    expect(m.analysed(breach)).toEqual({ kind: 'none' });
  });

  it('aborts on a breach at any time, paused included', () => {
    const m = new RolloutMachine(record([{ percent: 10, bakeSeconds: 60, pause: false }]), clock);
    m.pause('ops');
    expect(m.analysed(breach)).toEqual({ kind: 'abort' });
    expect(m.record.outcome).toEqual({ result: 'aborted', by: 'analysis', reason: 'too many errors' });
    expect(m.record.lastAnalysis?.verdict).toBe('breach');
  });

  it('waits at a gate until promote, which moves to the next stage', () => {
    const m = new RolloutMachine(record([{ percent: 50, bakeSeconds: 1, pause: true }, { percent: 100, bakeSeconds: 1, pause: false }]), clock);
    now = 1_000;
    expect(m.analysed(healthy)).toEqual({ kind: 'none' });
    expect([m.record.state, m.record.pausedBy]).toEqual(['paused', 'gate']);
    now = 10_000;
    expect(m.analysed(healthy)).toEqual({ kind: 'none' });
    expect(m.promote('ops', false)).toEqual({ kind: 'advance', stage: 1 });
    expect(m.record.state).toBe('running');
    expect(m.promote('ops', true)).toEqual({ kind: 'promote' });
  });

  it('pauses and resumes (the stage bakes again), and refuses actions out of state with WEIR_ERR_ROLLOUT_STATE', () => {
    const m = new RolloutMachine(record([{ percent: 10, bakeSeconds: 60, pause: false }]), clock);
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return undefined;
    };
    expect(code(() => m.resume('ops'))).toBe('WEIR_ERR_ROLLOUT_STATE');
    m.pause('ops');
    expect(code(() => m.pause('ops'))).toBe('WEIR_ERR_ROLLOUT_STATE');
    now = 5_000;
    expect(m.resume('ops')).toEqual({ kind: 'advance', stage: 0 });
    expect(m.record.stageStartedAt).toBe(new Date(5_000).toISOString());
    expect(m.abort('operator', 'ops', 'no')).toEqual({ kind: 'abort' });
    expect(code(() => m.abort('operator', 'ops', 'again'))).toBe('WEIR_ERR_ROLLOUT_STATE');
    expect(code(() => m.promote('ops', true))).toBe('WEIR_ERR_ROLLOUT_STATE');
    expect(m.record.events.map((e) => [e.event, e.principal])).toEqual([
      ['paused', 'ops'],
      ['resumed', 'ops'],
      ['aborted', 'ops'],
    ]);
  });
});
