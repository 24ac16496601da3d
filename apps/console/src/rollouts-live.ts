import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api';
import type { Rollout } from './types';

export interface RolloutsState {
  readonly current: Rollout | null;
  readonly rollouts: readonly Rollout[];
}

/**
 * `GET /admin/rollouts` whenever `key` changes (the status' rollout and version), and while a
 * rollout is live, `GET /admin/rollouts/{id}?wait=25` in a loop: the API answers at its next
 * change (a transition, or the analysis that runs every second). `'missing'`: no rollout manager.
 */
export function useRollouts(api: Api, key: unknown): RolloutsState | null | 'missing' {
  const [state, setState] = useState<RolloutsState | null | 'missing'>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const { signal } = ctl;
    void (async () => {
      try {
        const list = await api.get<RolloutsState>('/admin/rollouts', { accept: [404], signal });
        if (list.status === 404 || list.body === null) {
          setState('missing');
          return;
        }
        let { current } = list.body;
        const rollouts = list.body.rollouts;
        setState({ current, rollouts });
        while (current !== null && (current.state === 'running' || current.state === 'paused') && !signal.aborted) {
          const started = Date.now();
          const one = await api.get<Rollout>(`/admin/rollouts/${encodeURIComponent(current.id)}?wait=25`, { signal });
          if (one.body === null) break;
          current = one.body;
          const latest = current;
          setState({ current: latest, rollouts: rollouts.map((r) => (r.id === latest.id ? latest : r)) });
          if (Date.now() - started < 200) await new Promise((r) => setTimeout(r, 1000));
        }
      } catch {
        // The banner says why (unreachable, token refused); the next status change retries.
      }
    })();
    return () => ctl.abort();
  }, [api, key]);
  return state;
}
