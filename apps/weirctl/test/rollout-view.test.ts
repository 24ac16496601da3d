import { bakedMs, eventLine, fitWidth, outcomeText, rolloutLine, rolloutPanel, stageBar } from '../src/rollout-view';
import { abortedFixture, promotedFixture, rolloutFixture } from './support/rollout-fixture';

const now = Date.parse('2026-12-06T15:00:42.000Z');

describe('rollout view', () => {
  it('draws the stage bar for each state', () => {
    expect(stageBar(rolloutFixture())).toBe('[1%] ✓ [10%] ▶ [50%] · [100%] ·');
    expect(stageBar(rolloutFixture({ state: 'paused', stage: 2 }))).toBe('[1%] ✓ [10%] ✓ [50%] ⏸ [100%] ·');
    expect(stageBar(promotedFixture())).toBe('[1%] ✓ [10%] ✓ [50%] ✓ [100%] ✓');
    expect(stageBar(abortedFixture())).toBe('[1%] ✓ [10%] ✗ [50%] · [100%] ·');
    expect(stageBar(rolloutFixture({ stage: 0, stages: [{ percent: 0.5, bakeSeconds: 1, pause: false }] }))).toBe('[0.5%] ▶');
  });

  it('measures the bake from stageStartedAt', () => {
    expect(bakedMs(rolloutFixture(), now)).toBe(42_000);
    expect(bakedMs(rolloutFixture({ stageStartedAt: null }), now)).toBe(0);
    expect(bakedMs(rolloutFixture(), Date.parse('2026-12-06T14:00:00.000Z'))).toBe(0);
  });

  it('renders one plain line per update, without ANSI codes', () => {
    const line = rolloutLine(rolloutFixture(), now);
    expect(line).toBe(
      'rollout 7 running stage 2/4 10% baked 42s/1m 00s | stable 9800 req 0.03% err p99 12.1ms | candidate 120 req 0.00% err p99 11.8ms | wait: baking: 42 s of 60 s',
    );
    expect(line).not.toMatch(/\u001b/);
    expect(rolloutLine(rolloutFixture({ lastAnalysis: null }), now)).toBe('rollout 7 running stage 2/4 10% baked 42s/1m 00s');
    expect(rolloutLine(promotedFixture(), now)).toBe('rollout 7 promoted: v-3f2a9c01d4e5 serves all traffic');
    expect(rolloutLine(abortedFixture(), now)).toMatch(/^rollout 7 aborted by analysis: candidate error rate .*; v-0be51f27a913 keeps serving$/);
  });

  it('renders events and outcomes', () => {
    const r = rolloutFixture();
    expect(eventLine(r, r.events[1] as (typeof r.events)[number])).toBe('rollout 7 advanced stage 2/4 10% by analysis: stage 0 passed');
    expect(eventLine(r, { at: 'x', event: 'started', stage: 0, principal: null, reason: null })).toBe('rollout 7 started stage 1/4 1%');
    expect(outcomeText(rolloutFixture({ state: 'aborted', outcome: { result: 'aborted', by: 'operator', reason: null } }))).toBe(
      'aborted by operator; v-0be51f27a913 keeps serving',
    );
    expect(outcomeText(rolloutFixture({ state: 'aborted', outcome: null }))).toBe('aborted: v-0be51f27a913 keeps serving');
  });

  it('draws the terminal panel: versions, bar, bake, both arms, verdict and reasons', () => {
    expect(rolloutPanel(rolloutFixture(), 100, now)).toEqual([
      'rollout 7  running  v-0be51f27a913 → v-3f2a9c01d4e5',
      '[1%] ✓ [10%] ▶ [50%] · [100%] ·',
      'stage 2/4 10% of traffic, baked 42s/1m 00s',
      '            requests  errors     rate        p99',
      'stable          9800       3    0.03%     12.1ms',
      'candidate        120       0    0.00%     11.8ms',
      'verdict wait',
      '  - baking: 42 s of 60 s',
    ]);
    const paused = rolloutPanel(rolloutFixture({ state: 'paused', stage: 2 }), 200, now);
    expect(paused[2]).toMatch(/^stage 3\/4 50% of traffic, baked .*, manual gate  \(paused: /);
    expect(rolloutPanel(promotedFixture(), 100, now)[2]).toBe('promoted: v-3f2a9c01d4e5 serves all traffic');
  });

  it('fits every panel line to the terminal width', () => {
    const lines = rolloutPanel(abortedFixture(), 30, now);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(30);
    expect(lines[0]).toMatch(/…$/);
    expect(fitWidth('abcdef', 4)).toBe('abc…');
    expect(fitWidth('abc', 4)).toBe('abc');
  });
});
