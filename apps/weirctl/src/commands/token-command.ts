import { generateToken, hashToken, parseScopes } from '@weir/controlplane';
import { usageError } from '../cli-error';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/** Token names, as `weir token` accepts them. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * `weirctl token create [--name NAME] [--scopes LIST]`, offline, like `weir token`: the token on
 * stdout (shown only now), its `admin.tokens` entry `{"name","hash","scopes"}` on stderr (so
 * `2> entry.json` keeps it apart); `--json` prints `{"token","entry"}` on stdout. Defaults as
 * `weir token`: name `token`, scopes `read`.
 */
export const tokenCreateCommand: Command = {
  name: 'token create',
  flags: { name: 'string', scopes: 'string' },
  run({ line, out }) {
    line.expectPositionals(0, '');
    const name = line.string('name') ?? 'token';
    if (!NAME.test(name)) throw usageError(`--name must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${name}"`);
    const scopesText = line.string('scopes') ?? 'read';
    const scopes = parseScopes(scopesText);
    if (scopes === null) throw usageError(`--scopes must list read, write, rollout or admin, comma-separated; got "${scopesText}"`);
    const token = generateToken();
    const entry = { name, hash: hashToken(token), scopes };
    out.document({ token, entry });
    out.print(token);
    if (!out.json) out.note(JSON.stringify(entry));
    return ExitCode.OK;
  },
};
