import type { Rollout } from '../../src/admin-types';

/** A rollout resource as admin-api.md documents it: stage 2 of 4 (10%), running, with an analysis. */
export function rolloutFixture(overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: '7',
    state: 'running',
    stage: 1,
    stableVersion: 'v-0be51f27a913',
    candidateVersion: 'v-3f2a9c01d4e5',
    stages: [
      { percent: 1, bakeSeconds: 60, pause: false },
      { percent: 10, bakeSeconds: 60, pause: false },
      { percent: 50, bakeSeconds: 60, pause: true },
      { percent: 100, bakeSeconds: 60, pause: false },
    ],
    sticky: { header: 'x-user' },
    analysis: { minRequests: 20, maxErrorRateIncrease: 0.01, maxP99Ratio: 1.5, p99ToleranceMs: 10, maxErrorRate: null, maxP99Ms: null },
    stageStartedAt: '2026-12-06T15:00:00.000Z',
    startedAt: '2026-12-06T14:59:00.000Z',
    endedAt: null,
    principal: 'ci',
    lastAnalysis: {
      at: '2026-12-06T15:00:42.000Z',
      verdict: 'wait',
      stable: { requests: 9800, errors: 3, errorRate: 0.0003, p99Ms: 12.1 },
      candidate: { requests: 120, errors: 0, errorRate: 0, p99Ms: 11.8 },
      reasons: ['baking: 42 s of 60 s'],
    },
    outcome: null,
    events: [
      { at: '2026-12-06T14:59:00.000Z', event: 'started', stage: 0, principal: 'ci', reason: null },
      { at: '2026-12-06T15:00:00.000Z', event: 'advanced', stage: 1, principal: 'analysis', reason: 'stage 0 passed' },
    ],
    ...overrides,
  };
}

/** The same rollout, promoted. */
export function promotedFixture(): Rollout {
  const base = rolloutFixture();
  return rolloutFixture({
    state: 'promoted',
    stage: 3,
    endedAt: '2026-12-06T15:05:00.000Z',
    outcome: { result: 'promoted', version: base.candidateVersion },
    events: [...base.events, { at: '2026-12-06T15:05:00.000Z', event: 'promoted', stage: 3, principal: 'analysis', reason: 'stage 3 passed' }],
  });
}

/** The same rollout, aborted by the analysis at stage 2. */
export function abortedFixture(): Rollout {
  const base = rolloutFixture();
  const reason = 'candidate error rate 4.10% exceeds stable 0.03% by more than 1.00%';
  return rolloutFixture({
    state: 'aborted',
    endedAt: '2026-12-06T15:01:00.000Z',
    outcome: { result: 'aborted', by: 'analysis', reason },
    events: [...base.events, { at: '2026-12-06T15:01:00.000Z', event: 'aborted', stage: 1, principal: 'analysis', reason }],
  });
}
