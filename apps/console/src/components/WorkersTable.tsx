import { duration } from '../format';
import type { WorkerRow } from '../types';
import { TableWrap } from './TableWrap';

/** One row per worker slot; a worker not ready or not on the running version stands out. */
export function WorkersTable({ workers, running }: { workers: readonly WorkerRow[]; running: string | null }) {
  return (
    <TableWrap label="Workers">
      <table data-testid="workers">
        <caption>Workers ({workers.length})</caption>
        <thead>
          <tr>
            <th scope="col">Worker</th>
            <th scope="col">State</th>
            <th scope="col">Version</th>
            <th scope="col">Uptime</th>
            <th scope="col">Restarts</th>
            <th scope="col">In flight</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((w) => {
            const behind = running !== null && w.version !== running;
            return (
              <tr key={w.index} class={w.state !== 'ready' || behind ? 'row-warn' : ''}>
                <th scope="row">
                  #{w.index} <span class="muted">pid {w.pid ?? '–'}</span>
                </th>
                <td>
                  <span class={`tag ${w.state === 'ready' ? 'good' : 'warn'}`}>{w.state}</span>
                </td>
                <td>
                  {w.version ?? '–'}
                  {behind ? <span class="tag warn"> not the running version</span> : null}
                  {w.candidateVersion != null ? <span class="muted"> + candidate {w.candidateVersion} ({w.candidatePercent ?? 0} %)</span> : null}
                </td>
                <td>{duration(w.uptimeMs)}</td>
                <td>{w.restarts > 0 ? <span class="tag warn">{w.restarts}</span> : '0'}</td>
                <td>{w.inFlight ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
