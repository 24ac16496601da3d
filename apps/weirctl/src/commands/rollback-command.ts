import { usageError } from '../cli-error';
import { ExitCode } from '../exit-codes';
import { ifMatchHeader } from '../if-match';
import { describeApply } from './apply-command';
import type { Command } from './command';

/**
 * `weirctl rollback (--id ID | --version V) [--if-match VERSION]`: `POST /admin/config/rollback`.
 * An unknown id or version is exit 8 (404).
 */
export const rollbackCommand: Command = {
  name: 'rollback',
  flags: { id: 'string', version: 'string', 'if-match': 'string' },
  async run({ line, out, client }) {
    line.expectPositionals(0, '');
    const id = line.string('id');
    const version = line.string('version');
    if ((id === undefined) === (version === undefined)) throw usageError('rollback needs exactly one of --id ID or --version VERSION');
    const target = id !== undefined ? { id } : { version: version as string };
    const result = await client().rollback(target, ifMatchHeader(line.string('if-match')));
    out.document(result);
    const to = result.rolledBackTo === undefined ? '' : ` (history id ${result.rolledBackTo})`;
    out.print(`${describeApply(result, 'rolled back to')}${result.changed ? to : ''}`);
    return ExitCode.OK;
  },
};
