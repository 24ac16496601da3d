import { ExitCode } from '../exit-codes';
import { formatPercent } from '../rollout-view';
import { formatTable } from '../table';
import type { Command } from './command';

/** `weirctl rollout list`: `GET /admin/rollouts`, newest first, `*` marking the current one. */
export const rolloutListCommand: Command = {
  name: 'rollout list',
  flags: {},
  async run({ line, out, client }) {
    line.expectPositionals(0, '');
    const list = await client().listRollouts();
    out.document(list);
    if (list.rollouts.length === 0) {
      out.print('no rollouts');
      return ExitCode.OK;
    }
    const rows = list.rollouts.map((r) => {
      const stage = r.stages[r.stage];
      const outcome = r.outcome === null ? '' : r.outcome.result === 'aborted' ? `aborted by ${r.outcome.by}` : 'promoted';
      return [
        list.current?.id === r.id ? '*' : '',
        r.id,
        r.state,
        `${r.stage + 1}/${r.stages.length}${stage === undefined ? '' : ` ${formatPercent(stage.percent)}`}`,
        r.stableVersion,
        r.candidateVersion,
        r.principal ?? '-',
        r.startedAt,
        outcome,
      ];
    });
    out.print(...formatTable([['', 'ID', 'STATE', 'STAGE', 'STABLE', 'CANDIDATE', 'PRINCIPAL', 'STARTED', 'OUTCOME'], ...rows]));
    return ExitCode.OK;
  },
};
