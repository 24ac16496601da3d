import { RolloutProgress } from '../src/rollout-progress';
import { promotedFixture, rolloutFixture } from './support/rollout-fixture';
import { CaptureSink } from './support/run-cli';

const now = (): number => Date.parse('2026-12-06T15:00:42.000Z');

describe('RolloutProgress', () => {
  it('plain: one line per new event and per changed update, no ANSI codes', () => {
    const sink = new CaptureSink();
    const progress = new RolloutProgress(sink, { mode: 'plain', columns: () => 80, now });
    progress.update(rolloutFixture());
    progress.update(rolloutFixture()); // the same answer again: nothing
    progress.update(promotedFixture());
    progress.finish();
    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toEqual([
      'rollout 7 started stage 1/4 1% by ci',
      'rollout 7 advanced stage 2/4 10% by analysis: stage 0 passed',
      expect.stringMatching(/^rollout 7 running stage 2\/4 10% baked 42s/),
      'rollout 7 promoted stage 4/4 100% by analysis: stage 3 passed',
      'rollout 7 promoted: v-3f2a9c01d4e5 serves all traffic',
    ]);
    expect(sink.text).not.toMatch(/\u001b/);
  });

  it('tty: redraws the panel in place, events scrolling above it', () => {
    const sink = new CaptureSink(true, 80);
    const progress = new RolloutProgress(sink, { mode: 'tty', columns: () => 80, now, tickMs: 0 });
    progress.update(rolloutFixture());
    const first = sink.text;
    expect(first).not.toMatch(/\u001b/);
    expect(first).toContain('[1%] ✓ [10%] ▶ [50%] · [100%] ·');
    progress.update(promotedFixture());
    const second = sink.text.slice(first.length);
    // Back up over the 8 panel lines, clear, print the new event, then the new panel.
    expect(second.startsWith('\u001b[8F\u001b[J')).toBe(true);
    expect(second).toContain('rollout 7 promoted stage 4/4 100% by analysis');
    expect(second).toContain('[1%] ✓ [10%] ✓ [50%] ✓ [100%] ✓');
    progress.finish();
  });
});
