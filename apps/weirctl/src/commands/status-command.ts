import { isAdminCallError } from '../admin-call-error';
import type { AdminClient } from '../admin-client';
import type { Rollout, StatusResult } from '../admin-types';
import { formatDuration } from '../duration';
import { ExitCode } from '../exit-codes';
import { rolloutLine } from '../rollout-view';
import { formatTable } from '../table';
import type { Command } from './command';

/** The current rollout, or null; a daemon without the rollout endpoints (404) has none. */
async function currentRollout(client: AdminClient): Promise<Rollout | null> {
  try {
    return (await client.listRollouts()).current;
  } catch (err) {
    if (isAdminCallError(err) && err.status === 404) return null;
    throw err;
  }
}

/** The human form of `GET /admin/status` plus the current rollout. */
export function statusLines(status: StatusResult, rollout: Rollout | null, now: number): string[] {
  const lines: string[] = [];
  const config = status.config;
  lines.push(config === null ? 'config      none applied yet' : `config      ${config.version} (source ${config.source}, principal ${config.principal ?? '-'})`);
  const p = status.primary;
  lines.push(`primary     pid ${p.pid}, weir ${p.version}, node ${p.node}, up ${formatDuration(p.uptimeMs)}`);
  const last = status.lastApply;
  if (last === null) {
    lines.push('last apply  none');
  } else {
    const by = last.principal === null ? '' : ` by ${last.principal}`;
    const took = last.durationMs === undefined ? '' : `, ${last.durationMs} ms`;
    const error = last.error === undefined ? '' : ` (${last.error.code}${last.error.reason ?? last.error.message ? `: ${last.error.reason ?? last.error.message}` : ''})`;
    lines.push(`last apply  ${last.outcome} ${last.version ?? '-'} from ${last.source}${by} at ${last.at}${took}${error}`);
  }
  lines.push(rollout === null ? 'rollout     none' : `rollout     ${rolloutLine(rollout, now).replace(/^rollout /, '')}`);
  lines.push('workers');
  const rows = status.workers.map((w) => [
    String(w.index),
    w.pid === null ? '-' : String(w.pid),
    w.state,
    w.version ?? '-',
    String(w.restarts),
    w.uptimeMs === null ? '-' : formatDuration(w.uptimeMs),
    w.inFlight === null ? '-' : String(w.inFlight),
  ]);
  for (const row of formatTable([['INDEX', 'PID', 'STATE', 'VERSION', 'RESTARTS', 'UPTIME', 'IN-FLIGHT'], ...rows])) lines.push(`  ${row}`);
  const certificates = status.certificates ?? [];
  if (certificates.length > 0) {
    lines.push('certificates');
    const certRows = certificates.map((c) => [
      c.name,
      c.notAfter,
      c.expiresInSeconds <= 0 ? 'EXPIRED' : formatDuration(c.expiresInSeconds * 1000),
      c.listeners.join(',') || '-',
      c.serverNames.join(','),
    ]);
    for (const row of formatTable([['NAME', 'NOT-AFTER', 'LEFT', 'LISTENERS', 'SERVES'], ...certRows])) lines.push(`  ${row}`);
  }
  return lines;
}

/**
 * `weirctl status`: `GET /admin/status` and the current rollout (`GET /admin/rollouts`).
 * `--json`: `{"status": <the status answer>, "rollout": <the current rollout or null>}`.
 */
export const statusCommand: Command = {
  name: 'status',
  flags: {},
  async run({ line, out, client, now }) {
    line.expectPositionals(0, '');
    const status = await client().getStatus();
    const rollout = await currentRollout(client());
    out.document({ status, rollout });
    out.print(...statusLines(status, rollout, now()));
    return ExitCode.OK;
  },
};
