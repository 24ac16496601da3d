import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import { duration, time } from '../format';
import type { Rollout } from '../types';
import { ArmTable } from './ArmTable';
import { RolloutActions } from './RolloutActions';

function bakeLeft(rollout: Rollout, now: number): number | null {
  const stage = rollout.stages[rollout.stage];
  if (stage === undefined || rollout.stageStartedAt === null) return null;
  return Math.max(0, Date.parse(rollout.stageStartedAt) + stage.bakeSeconds * 1000 - now);
}

/** One rollout: stages, share, bake left, the arms against the thresholds, the verdict, actions. */
export function RolloutCard({ api, rollout, canAct }: { api: Api; rollout: Rollout; canAct: boolean }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const share = rollout.stages[rollout.stage]?.percent ?? 0;
  const left = bakeLeft(rollout, now);
  const verdict = rollout.lastAnalysis?.verdict ?? 'none yet';
  const ended = rollout.state === 'promoted' || rollout.state === 'aborted';
  return (
    <div class={`card rollout ${rollout.state}`} data-testid="rollout">
      <h3>
        Rollout {rollout.id}: <span class={`tag ${rollout.state === 'aborted' ? 'bad' : rollout.state === 'promoted' ? 'good' : 'warn'}`} data-testid="rollout-state">{rollout.state}</span>
        {rollout.pausedBy != null ? <span class="muted"> (paused by {rollout.pausedBy})</span> : null}
      </h3>
      <p>
        {rollout.stableVersion} → {rollout.candidateVersion}, started {time(rollout.startedAt)}
        {rollout.principal !== null ? ` by ${rollout.principal}` : ''}
      </p>
      {!ended ? (
        <p>
          Candidate share <strong data-testid="rollout-share">{share} %</strong> (stage {rollout.stage + 1} of {rollout.stages.length}), bake left{' '}
          <strong>{left === null ? '–' : duration(left)}</strong>
        </p>
      ) : null}
      <ol class="stages" aria-label="Stages">
        {rollout.stages.map((s, i) => (
          <li key={i} class={i < rollout.stage || rollout.state === 'promoted' ? 'done' : i === rollout.stage && !ended ? 'now' : ''} aria-current={i === rollout.stage && !ended ? 'step' : undefined}>
            {s.percent} % · {s.bakeSeconds} s{s.pause === true ? ' · manual gate' : ''}
          </li>
        ))}
      </ol>
      <ArmTable rollout={rollout} />
      <p>
        Verdict: <span class={`tag ${verdict === 'breach' ? 'bad' : verdict === 'healthy' ? 'good' : ''}`} data-testid="rollout-verdict">{verdict}</span>{' '}
        {(rollout.lastAnalysis?.reasons ?? []).join('; ')}
      </p>
      {rollout.outcome !== null ? (
        <p data-testid="rollout-outcome">
          Ended: {rollout.outcome.result}
          {rollout.outcome.by !== undefined ? ` by ${rollout.outcome.by}` : ''}
          {rollout.outcome.reason != null ? `: ${rollout.outcome.reason}` : ''}
        </p>
      ) : null}
      {canAct ? <RolloutActions api={api} rollout={rollout} /> : null}
    </div>
  );
}
