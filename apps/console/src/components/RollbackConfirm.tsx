import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api';
import type { VersionSummary } from '../types';

/** An operator's reading of a failed rollback. */
function failure(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  if (err.status === 412) return 'Refused: the running config changed since you opened this confirmation, so nothing was rolled back. Look at the new version, then try again.';
  if (err.status === 409) return `Refused: ${err.message} (a rollout is running).`;
  if (err.status === 403) return `Refused: this token may not roll back (${err.message}).`;
  return `Rollback failed (${err.status}${err.code !== null ? ` ${err.code}` : ''}): ${err.message}`;
}

/**
 * The confirmation of a rollback. When it opens it reads the running config's ETag; the
 * rollback is sent with `If-Match: <that ETag>`, so a change made meanwhile (by anyone) makes
 * the API refuse it with 412 instead of overwriting it.
 */
export function RollbackConfirm({ api, target, onDone }: { api: Api; target: VersionSummary; onDone: (message: string | null) => void }) {
  const [etag, setEtag] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get('/admin/config').then(
      (a) => setEtag(a.etag),
      (err: unknown) => setError(failure(err)),
    );
  }, [api]);

  const confirm = async () => {
    if (etag === null) return;
    setBusy(true);
    try {
      const answer = await api.post<{ version: string; changed: boolean }>('/admin/config/rollback', { id: target.id }, { headers: { 'if-match': etag } });
      onDone(`Rolled back: ${answer.body?.version ?? target.version} now runs on every worker.`);
    } catch (err) {
      setError(failure(err));
      setBusy(false);
    }
  };

  return (
    <div class="confirm" role="group" aria-labelledby="rollback-title" data-testid="rollback-confirm">
      <h3 id="rollback-title">
        Roll back to {target.version} (history {target.id})?
      </h3>
      <p>It is applied to every worker through the same two-phase apply, and recorded as a new version.</p>
      {error !== null ? (
        <p class="error" role="alert" data-testid="rollback-error">
          {error}
        </p>
      ) : null}
      <button type="button" class="danger" disabled={etag === null || busy || error !== null} onClick={confirm}>
        {busy ? 'Rolling back…' : 'Confirm rollback'}
      </button>{' '}
      <button type="button" class="secondary" onClick={() => onDone(null)}>
        {error !== null ? 'Close' : 'Cancel'}
      </button>
    </div>
  );
}
