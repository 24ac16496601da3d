import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import { time } from '../format';
import { useResource } from '../live';
import type { VersionSummary } from '../types';
import { LoadState } from './LoadState';
import { RollbackConfirm } from './RollbackConfirm';
import { VersionDiff } from './VersionDiff';
import { TableWrap } from './TableWrap';

/** Kept versions (principal, source, time), a diff between any two, and rollback for write tokens. */
export function VersionsView({ api, version, canWrite }: { api: Api; version: string | null; canWrite: boolean }) {
  const list = useResource<{ versions: readonly VersionSummary[] }>(api, '/admin/config/versions', version);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [rollback, setRollback] = useState<VersionSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const versions = list.kind === 'ok' ? list.body.versions : [];

  useEffect(() => {
    if (versions.length === 0) return;
    if (to === null || !versions.some((v) => v.id === to)) setTo(versions[0]!.id);
    if (from === null || !versions.some((v) => v.id === from)) setFrom((versions[1] ?? versions[0])!.id);
  }, [versions]);

  if (list.kind !== 'ok') return <LoadState state={list} what="the kept versions" />;
  const option = (v: VersionSummary) => (
    <option key={v.id} value={v.id}>
      {`#${v.id} ${v.version} (${v.source}${v.principal !== null ? `, ${v.principal}` : ''})${v.current ? ' running' : ''}`}
    </option>
  );
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {notice !== null ? (
        <p class="notice" role="status" data-testid="versions-notice">
          {notice}
        </p>
      ) : null}
      {rollback !== null ? (
        <RollbackConfirm
          api={api}
          target={rollback}
          onDone={(message) => {
            setRollback(null);
            setNotice(message);
          }}
        />
      ) : null}
      <TableWrap label="Kept versions">
        <table data-testid="versions">
          <caption>Kept versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">History</th>
              <th scope="col">Version</th>
              <th scope="col">Source</th>
              <th scope="col">By</th>
              <th scope="col">Committed</th>
              {canWrite ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} class={v.current ? 'row-current' : ''}>
                <th scope="row">#{v.id}</th>
                <td>
                  <code>{v.version}</code> {v.current ? <span class="tag good">running</span> : null}
                </td>
                <td>
                  <span class="tag">{v.source}</span>
                </td>
                <td>{v.principal ?? '–'}</td>
                <td>
                  <time dateTime={v.committedAt}>{time(v.committedAt)}</time>
                </td>
                {canWrite ? (
                  <td>
                    {v.current ? null : (
                      <button type="button" class="danger" onClick={() => { setNotice(null); setRollback(v); }}>
                        Roll back to #{v.id}
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>Compare two versions</h3>
      <div class="compare">
        <label>
          From <select value={from ?? ''} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>{versions.map(option)}</select>
        </label>
        <label>
          To <select value={to ?? ''} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>{versions.map(option)}</select>
        </label>
      </div>
      {from !== null && to !== null ? <VersionDiff api={api} from={from} to={to} /> : null}
    </section>
  );
}
