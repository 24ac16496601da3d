import type { AdminClient } from '../admin-client';
import type { Rollout } from '../admin-types';
import { ExitCode } from '../exit-codes';
import { rolloutLine } from '../rollout-view';
import type { Command } from './command';
import { currentRolloutId } from './select-rollout';

type Verb = 'promote' | 'pause' | 'resume' | 'abort';

const CALLS: Readonly<Record<Verb, (client: AdminClient, id: string, full: boolean) => Promise<Rollout>>> = {
  promote: (client, id, full) => client.promoteRollout(id, full),
  pause: (client, id) => client.pauseRollout(id),
  resume: (client, id) => client.resumeRollout(id),
  abort: (client, id) => client.abortRollout(id),
};

/**
 * `weirctl rollout promote|pause|resume|abort [ID]` (promote also `--full`): `POST
 * /admin/rollouts/{id}/<verb>` on the named rollout, or the current one. Exit 0 when accepted,
 * 4 when the rollout's state forbids it (409), 8 when there is no such rollout.
 */
export function rolloutActionCommand(verb: Verb): Command {
  return {
    name: `rollout ${verb}`,
    flags: verb === 'promote' ? { full: 'boolean' } : {},
    async run({ line, out, client, now }) {
      const id = await currentRolloutId(client(), line.optionalPositional('ID'));
      const rollout = await CALLS[verb](client(), id, line.boolean('full'));
      out.document(rollout);
      out.print(`rollout ${rollout.id}: ${verb} accepted`, rolloutLine(rollout, now()));
      return ExitCode.OK;
    },
  };
}
