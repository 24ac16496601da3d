import { ExitCode } from '../exit-codes';
import { eventLine, rolloutPanel } from '../rollout-view';
import type { Command } from './command';
import { selectRollout } from './select-rollout';

/**
 * `weirctl rollout status [ID]`: one rollout (default: the current one, else the newest) as a
 * panel, then its events. Exit 0 whatever its state; no rollout at all is exit 8.
 */
export const rolloutStatusCommand: Command = {
  name: 'rollout status',
  flags: {},
  async run({ line, out, client, now }) {
    const rollout = await selectRollout(client(), line.optionalPositional('ID'), false);
    out.document(rollout);
    out.print(...rolloutPanel(rollout, out.columns, now()));
    if (rollout.events.length > 0) out.print('events', ...rollout.events.map((e) => `  ${e.at}  ${eventLine(rollout, e).replace(/^rollout \S+ /, '')}`));
    return ExitCode.OK;
  },
};
