import type { AdminClient } from '../admin-client';
import type { Rollout } from '../admin-types';
import { CliError } from '../cli-error';
import { ExitCode } from '../exit-codes';

/**
 * The rollout a `rollout ...` command acts on: the one named by ID, else the current one
 * (running or paused), else (unless `activeOnly`) the newest kept one. None is exit 8.
 */
export async function selectRollout(client: AdminClient, id: string | undefined, activeOnly: boolean): Promise<Rollout> {
  if (id !== undefined) return client.getRollout(id);
  const list = await client.listRollouts();
  const chosen = list.current ?? (activeOnly ? undefined : list.rollouts[0]);
  if (chosen === undefined) {
    throw new CliError('WEIRCTL_ERR_NO_ROLLOUT', ExitCode.FAILURE, activeOnly ? 'no rollout is running; name one by ID' : 'there is no rollout yet');
  }
  return chosen;
}

/** The ID of the current rollout, for an action without an ID (no current rollout: exit 8). */
export async function currentRolloutId(client: AdminClient, id: string | undefined): Promise<string> {
  return id ?? (await selectRollout(client, undefined, true)).id;
}
