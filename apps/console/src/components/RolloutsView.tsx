import type { Api } from '../api';
import { time } from '../format';
import { useRollouts } from '../rollouts-live';
import type { Status } from '../types';
import { RolloutCard } from './RolloutCard';
import { TableWrap } from './TableWrap';

/** The live rollout, followed as it changes, and the kept history with why each ended. */
export function RolloutsView({ api, status, canAct }: { api: Api; status: Status; canAct: boolean }) {
  const key = `${status.config?.version ?? ''}|${status.rollout?.id ?? ''}|${status.rollout?.state ?? ''}`;
  const state = useRollouts(api, key);
  if (state === 'missing') return <p class="muted">This primary has no rollout manager.</p>;
  if (state === null) return <p aria-busy="true">Loading rollouts…</p>;
  // With none live, the newest kept rollout keeps its card: an abort's verdict and the arms'
  // figures that decided it stay on the page instead of vanishing into the history row.
  const shown = state.current ?? state.rollouts[0] ?? null;
  const history = state.rollouts.filter((r) => r.id !== shown?.id);
  return (
    <section aria-labelledby="rollouts-title">
      <h2 id="rollouts-title">Rollouts</h2>
      {state.current === null ? <p>No rollout is running. Start one with <code>weirctl rollout start</code> or <code>POST /admin/rollouts</code>.</p> : null}
      {shown !== null ? <RolloutCard api={api} rollout={shown} canAct={canAct && shown === state.current} /> : null}
      <h3>Earlier rollouts</h3>
      {history.length === 0 ? (
        <p class="muted">None kept.</p>
      ) : (
        <TableWrap label="Earlier rollouts">
          <table data-testid="rollout-history">
            <caption>Kept rollouts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Rollout</th>
                <th scope="col">Versions</th>
                <th scope="col">Started</th>
                <th scope="col">Result</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r) => (
                <tr key={r.id} class={r.state === 'aborted' ? 'row-bad' : ''}>
                  <th scope="row">{r.id}</th>
                  <td>
                    {r.stableVersion} → {r.candidateVersion}
                  </td>
                  <td>{time(r.startedAt)}{r.principal !== null ? ` by ${r.principal}` : ''}</td>
                  <td>
                    <span class={`tag ${r.state === 'aborted' ? 'bad' : 'good'}`}>{r.outcome?.result ?? r.state}</span>
                    {r.outcome?.by !== undefined ? ` by ${r.outcome.by}` : ''}
                  </td>
                  <td>{r.outcome?.reason ?? (r.lastAnalysis?.reasons ?? []).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
