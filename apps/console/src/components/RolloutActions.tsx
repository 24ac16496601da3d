import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../api';
import type { Rollout } from '../types';

type Action = 'promote' | 'pause' | 'resume' | 'abort';

/** Promote, pause, resume and abort (shown only to tokens that may roll out); abort asks first. */
export function RolloutActions({ api, rollout }: { api: Api; rollout: Rollout }) {
  const [busy, setBusy] = useState(false);
  const [confirmAbort, setConfirmAbort] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const act = async (action: Action) => {
    setBusy(true);
    setMessage(null);
    try {
      await api.post(`/admin/rollouts/${encodeURIComponent(rollout.id)}/${action}`, undefined);
    } catch (err) {
      setMessage(err instanceof ApiError ? `${action} refused (${err.status}): ${err.message}` : String(err));
    } finally {
      setBusy(false);
      setConfirmAbort(false);
    }
  };
  const live = rollout.state === 'running' || rollout.state === 'paused';
  if (!live) return null;
  return (
    <div class="actions" role="group" aria-label="Rollout actions">
      <button type="button" disabled={busy} onClick={() => act('promote')}>
        Promote
      </button>
      {rollout.state === 'running' ? (
        <button type="button" class="secondary" disabled={busy} onClick={() => act('pause')}>
          Pause
        </button>
      ) : (
        <button type="button" class="secondary" disabled={busy} onClick={() => act('resume')}>
          Resume
        </button>
      )}
      {confirmAbort ? (
        <>
          <button type="button" class="danger" disabled={busy} onClick={() => act('abort')}>
            Confirm abort
          </button>
          <button type="button" class="secondary" onClick={() => setConfirmAbort(false)}>
            Keep it running
          </button>
        </>
      ) : (
        <button type="button" class="danger" disabled={busy} onClick={() => setConfirmAbort(true)}>
          Abort
        </button>
      )}
      {message !== null ? (
        <p class="error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
