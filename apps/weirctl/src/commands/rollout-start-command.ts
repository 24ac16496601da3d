import { usageError } from '../cli-error';
import { parseConfigJson, readConfigText } from '../config-file';
import { ExitCode } from '../exit-codes';
import { ROLLOUT_REQUEST_FLAGS, buildRolloutRequest } from '../rollout-request';
import { formatPercent, stageBar } from '../rollout-view';
import type { Command } from './command';
import { followToVerdict } from './follow-to-verdict';

/**
 * `weirctl rollout start CONFIG_FILE [--stages 1,10,50,100] [--bake 60s] [--pause-at 50]
 * [--sticky header:x-user|cookie:NAME|address] [analysis flags] [--wait [--timeout D]]`:
 * `POST /admin/rollouts` (needs `rollout`). Without `--wait` it prints the new rollout and
 * exits 0; with `--wait` it follows it and exits with its verdict (0 promoted, 3 aborted,
 * 7 when `--timeout` runs out first).
 */
export const rolloutStartCommand: Command = {
  name: 'rollout start',
  flags: { ...ROLLOUT_REQUEST_FLAGS, wait: 'boolean', timeout: 'string' },
  async run(context) {
    const { line, out } = context;
    const [file] = line.expectPositionals(1, 'CONFIG_FILE') as [string];
    const wait = line.boolean('wait');
    const timeoutMs = line.duration('timeout');
    if (timeoutMs !== undefined && !wait) throw usageError('--timeout bounds --wait; add --wait');
    const request = buildRolloutRequest(parseConfigJson(file, readConfigText(file)), line);
    const rollout = await context.client().startRollout(request);
    if (!out.json) {
      const stages = rollout.stages.map((s) => `${formatPercent(s.percent)}${s.pause ? ' (gate)' : ''}`).join(', ');
      out.print(`rollout ${rollout.id} started: ${rollout.stableVersion} → ${rollout.candidateVersion}, stages ${stages}`);
    }
    if (!wait) {
      out.document(rollout);
      out.print(stageBar(rollout), `follow it with: weirctl rollout wait ${rollout.id}`);
      return ExitCode.OK;
    }
    return followToVerdict(context, rollout, timeoutMs);
  },
};
