import { structuredPatch } from 'diff';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';

/** The configs of two kept versions, pretty-printed and diffed line by line (jsdiff, 3 lines of context). */
export function VersionDiff({ api, from, to }: { api: Api; from: string; to: string }) {
  const [texts, setTexts] = useState<readonly [string, string] | string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    setTexts(null);
    const load = (id: string) => api.get<{ config: unknown }>(`/admin/config/versions/${encodeURIComponent(id)}`, { signal: ctl.signal }).then((a) => JSON.stringify(a.body?.config ?? null, null, 2) + '\n');
    Promise.all([load(from), load(to)]).then(
      ([a, b]) => setTexts([a, b]),
      (err: unknown) => {
        if (!ctl.signal.aborted) setTexts(`Could not load the versions: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return () => ctl.abort();
  }, [api, from, to]);

  if (texts === null) return <p aria-busy="true">Loading both configs…</p>;
  if (typeof texts === 'string') return <p class="error" role="alert">{texts}</p>;
  const patch = structuredPatch(`history ${from}`, `history ${to}`, texts[0], texts[1], '', '', { context: 3 });
  if (patch.hunks.length === 0) return <p data-testid="diff">The two configs are the same.</p>;
  return (
    <div class="diff" data-testid="diff" role="region" aria-label={`Changes from history ${from} to history ${to}`} tabIndex={0}>
      {patch.hunks.map((h, i) => (
        <pre key={i}>
          <span class="hunk">{`@@ lines ${h.oldStart}-${h.oldStart + h.oldLines - 1} → ${h.newStart}-${h.newStart + h.newLines - 1} @@`}</span>
          {'\n'}
          {h.lines.map((line, j) => (
            <span key={j} class={line.startsWith('+') ? 'ins' : line.startsWith('-') ? 'del' : 'ctx'}>
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      ))}
    </div>
  );
}
