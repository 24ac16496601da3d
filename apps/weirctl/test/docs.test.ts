import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_ERROR_CODES } from '../src/cli-error';
import { GLOBAL_FLAGS } from '../src/cli-options';
import { COMMANDS } from '../src/commands/index';
import { ExitCode } from '../src/exit-codes';
import { USAGE } from '../src/main';

/**
 * STYLE.md rule 4: weirctl's catalogues (exit codes, its own error codes, commands and flags)
 * and apps/weir/docs/weirctl.md (and the usage text) must agree.
 */
const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'weir', 'docs', 'weirctl.md'), 'utf8');

describe('apps/weir/docs/weirctl.md', () => {
  it('has a row for every exit code, in order', () => {
    const rows = [...doc.matchAll(/^\| (\d) \| /gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(Object.values(ExitCode));
  });

  it('documents every weirctl error code with its exit code', () => {
    for (const [code, exit] of Object.entries(CLI_ERROR_CODES)) expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| ${exit} \\|`, 'm'));
  });

  it('has a section for every command, naming each of its flags', () => {
    for (const command of COMMANDS) {
      const heading = new RegExp(`^### .*\`${command.name}[ \`]`, 'm');
      expect({ command: command.name, documented: heading.test(doc) }).toEqual({ command: command.name, documented: true });
      for (const flag of Object.keys(command.flags)) expect({ flag, documented: doc.includes(`--${flag}`) }).toEqual({ flag, documented: true });
    }
    for (const flag of Object.keys(GLOBAL_FLAGS)) expect(doc).toContain(`--${flag}`);
  });

  it('agrees with the usage text on commands and flags', () => {
    for (const command of COMMANDS) {
      expect(USAGE).toContain(command.name);
      for (const flag of Object.keys(command.flags)) expect({ flag, inUsage: USAGE.includes(`--${flag}`) }).toEqual({ flag, inUsage: true });
    }
  });
});
