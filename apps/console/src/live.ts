import { useEffect, useState } from 'preact/hooks';
import type { Answer, Api } from './api';
import type { Stats, Status } from './types';

/**
 * How the page follows the primary (issue 17, "Live"). Status: a long poll, `GET
 * /admin/status?wait=25` with `If-None-Match: <last ETag>`, answered at the next change (200) or
 * at the timeout (304); one request at a time. A primary without that support (no ETag, or an
 * immediate answer) is polled every second instead, so the page is never more than 2 s behind.
 * Stats: `GET /admin/stats?seconds=300` every 2 s while the overview is shown; a 404 (an older
 * primary) turns the charts off. Upstreams: `GET /admin/upstreams` every 2 s while that view is
 * shown (health, ejections and breakers change without a status change).
 */

export const POLL_FALLBACK_MS = 1000;
export const STATS_EVERY_MS = 2000;
export const UPSTREAMS_EVERY_MS = 2000;
const RETRY_MS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function useLiveStatus(api: Api): Status | null {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const { signal } = ctl;
    void (async () => {
      let etag: string | null = null;
      while (!signal.aborted) {
        const started = Date.now();
        try {
          const answer: Answer<Status> = await api.get<Status>(etag === null ? '/admin/status' : '/admin/status?wait=25', {
            headers: etag === null ? {} : { 'if-none-match': etag },
            accept: [304],
            signal,
          });
          if (answer.status === 200 && answer.body !== null) setStatus(answer.body);
          etag = answer.etag;
          const quick = Date.now() - started < 250;
          if (etag === null || quick) await sleep(POLL_FALLBACK_MS, signal);
        } catch {
          if (signal.aborted) return;
          etag = null;
          await sleep(RETRY_MS, signal);
        }
      }
    })();
    return () => ctl.abort();
  }, [api]);
  return status;
}

/** `null` while loading, `'unsupported'` when the primary has no stats endpoint. */
export type StatsState = Stats | null | 'unsupported';

export function useStats(api: Api, seconds = 300): StatsState {
  const [stats, setStats] = useState<StatsState>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const { signal } = ctl;
    void (async () => {
      while (!signal.aborted) {
        try {
          const answer = await api.get<Stats>(`/admin/stats?seconds=${seconds}`, { accept: [404], signal });
          if (answer.status === 404) {
            setStats('unsupported');
            return;
          }
          if (answer.body !== null) setStats(answer.body);
        } catch {
          if (signal.aborted) return;
        }
        await sleep(STATS_EVERY_MS, signal);
      }
    })();
    return () => ctl.abort();
  }, [api, seconds]);
  return stats;
}

/** A counter that steps every `everyMs` while the component is shown: a `useResource` key that re-reads. */
export function useTick(everyMs: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return tick;
}

/** The state of one GET: loading, its body, missing (404 of an older primary) or an error message. */
export type Loaded<T> = { readonly kind: 'loading' } | { readonly kind: 'ok'; readonly body: T; readonly etag: string | null } | { readonly kind: 'missing' } | { readonly kind: 'error'; readonly message: string };

/** GET `path` again whenever `key` changes (say, the running version), keeping the last answer meanwhile. */
export function useResource<T>(api: Api, path: string | null, key: unknown): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  useEffect(() => {
    if (path === null) return undefined;
    const ctl = new AbortController();
    api.get<T>(path, { accept: [404], signal: ctl.signal }).then(
      (answer) => {
        if (ctl.signal.aborted) return;
        setState(answer.status === 404 || answer.body === null ? { kind: 'missing' } : { kind: 'ok', body: answer.body, etag: answer.etag });
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => ctl.abort();
  }, [api, path, key]);
  return state;
}
