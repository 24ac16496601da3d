import type { Rollout } from '../admin-types';
import { ExitCode } from '../exit-codes';
import { followRollout } from '../rollout-follower';
import { RolloutProgress } from '../rollout-progress';
import type { CommandContext } from './command';

/**
 * Follow `rollout` to its end, showing it as it goes (a live panel on a terminal, plain lines
 * otherwise, nothing with `--json`, which prints the final rollout), and return its verdict:
 * 0 promoted, 3 aborted. A `timeoutMs` that runs out throws (exit 7).
 */
export async function followToVerdict(context: CommandContext, rollout: Rollout, timeoutMs: number | undefined): Promise<ExitCode> {
  const { out, now } = context;
  const progress = out.json ? null : new RolloutProgress(out.stdout, { mode: out.live ? 'tty' : 'plain', columns: () => out.columns, now });
  let final: Rollout;
  try {
    final = await followRollout(context.client(), rollout, { timeoutMs, now, onUpdate: (r) => progress?.update(r) });
  } finally {
    progress?.finish();
  }
  out.document(final);
  return final.state === 'promoted' ? ExitCode.OK : ExitCode.ROLLOUT_ABORTED;
}
