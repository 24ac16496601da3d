import { readConfigText } from '../config-file';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * `weirctl diff FILE`: `POST /admin/config/validate` (needs only `read`). Prints the diff's
 * summary lines, or `no changes`; exit 0 whether or not it changes anything, 1 when invalid.
 */
export const diffCommand: Command = {
  name: 'diff',
  flags: {},
  async run({ line, out, client }) {
    const [file] = line.expectPositionals(1, 'FILE') as [string];
    const result = await client().validateConfig(readConfigText(file));
    out.document(result);
    if (result.diff.summary.length === 0) out.print('no changes');
    else out.print(...result.diff.summary);
    if (!out.json && result.requiredScope === 'admin') out.note('note: this config changes the admin section; applying it needs a token with the admin scope');
    return ExitCode.OK;
  },
};
