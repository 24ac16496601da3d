import type { ApplyResult } from '../admin-types';
import { readConfigText } from '../config-file';
import { ExitCode } from '../exit-codes';
import { ifMatchHeader } from '../if-match';
import type { Command } from './command';

/** The human line for an apply or rollback answer. */
export function describeApply(result: ApplyResult, verb: string): string {
  if (!result.changed) return `unchanged: ${result.version} is already running`;
  const duration = result.durationMs === undefined ? '' : ` in ${result.durationMs} ms`;
  return `${verb} ${result.version} (was ${result.previousVersion ?? 'none'})${duration}`;
}

/**
 * `weirctl apply FILE [--if-match VERSION]`: `POST /admin/config`, the two-phase apply to every
 * worker. Prints the new version (or `unchanged`); 1 when invalid, 4 when `--if-match` does not
 * name the running version, 5 without the `write` scope.
 */
export const applyCommand: Command = {
  name: 'apply',
  flags: { 'if-match': 'string' },
  async run({ line, out, client }) {
    const [file] = line.expectPositionals(1, 'FILE') as [string];
    const ifMatch = ifMatchHeader(line.string('if-match'));
    const result = await client().applyConfig(readConfigText(file), ifMatch);
    out.document(result);
    out.print(describeApply(result, 'applied'));
    return ExitCode.OK;
  },
};
