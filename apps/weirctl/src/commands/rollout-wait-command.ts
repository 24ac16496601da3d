import type { Command } from './command';
import { followToVerdict } from './follow-to-verdict';
import { selectRollout } from './select-rollout';

/**
 * `weirctl rollout wait [ID] [--timeout D]`: follow a rollout (default: the current one, else
 * the newest) to its end; 0 promoted, 3 aborted, 7 when `--timeout` runs out first. A rollout
 * already finished answers at once with its verdict.
 */
export const rolloutWaitCommand: Command = {
  name: 'rollout wait',
  flags: { timeout: 'string' },
  async run(context) {
    const id = context.line.optionalPositional('ID');
    const timeoutMs = context.line.duration('timeout');
    const rollout = await selectRollout(context.client(), id, false);
    return followToVerdict(context, rollout, timeoutMs);
  },
};
