import { parseConfig } from '@weir/config';
import { toErrorJSON } from '@weir/errors';
import { readConfigText } from '../config-file';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * `weirctl validate FILE`: offline, exactly the checks the daemon runs (schema + semantic).
 * Prints `FILE: ok` (exit 0) or the code and one line per problem with its JSON pointer
 * (exit 1); an unreadable file is exit 2.
 */
export const validateCommand: Command = {
  name: 'validate',
  flags: {},
  run({ line, out }) {
    const [file] = line.expectPositionals(1, 'FILE') as [string];
    const result = parseConfig(readConfigText(file));
    if (result.ok) {
      out.print(`${file}: ok`);
      out.document({ valid: true, file });
      return ExitCode.OK;
    }
    const json = toErrorJSON(result.error);
    out.error({ code: json.code, message: `${file}: ${json.message}`, ...(json.details === undefined ? {} : { details: json.details }) });
    return ExitCode.INVALID_CONFIG;
  },
};
