import { parseArgs } from 'node:util';
import { generateToken, hashToken, parseScopes } from '@weir/controlplane';

/** `weir token --help`. */
export const TOKEN_HELP_TEXT = `Usage: weir token [--name NAME] [--scopes LIST]

Generate an admin API bearer token. Prints two lines on stdout: the token (keep it secret; it
is shown only now), then its entry for the config's "admin.tokens" array, which holds only a
salted hash of the token. Add the entry to the config and apply it (changing admin.tokens
through the API needs the admin scope).

Options:
      --name NAME     The token's name: the principal in the audit log and the version
                      history. Letters, digits, ".", "_", "-". Default: "token".
      --scopes LIST   Comma-separated scopes: read, write, rollout, admin (admin implies all).
                      Default: read.
  -h, --help          Show this help and exit.

Example:
  weir token --name ci --scopes read,write
`;

/** What `weir token` printed: the exit code and the two streams (for tests). */
export interface TokenCommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `weir token ...` (arguments after `token`). Never throws; 2 on a usage error. */
export function runTokenCommand(argv: readonly string[]): TokenCommandResult {
  let values: { name?: string; scopes?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return { code: 0, stdout: TOKEN_HELP_TEXT, stderr: '' };
  const name = values.name ?? 'token';
  if (!NAME.test(name)) return usage(`--name must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${name}"`);
  const scopes = parseScopes(values.scopes ?? 'read');
  if (scopes === null) return usage(`--scopes must list read, write, rollout or admin, comma-separated; got "${values.scopes ?? ''}"`);
  const token = generateToken();
  const entry = { name, hash: hashToken(token), scopes };
  return {
    code: 0,
    stdout: `${token}\n${JSON.stringify(entry)}\n`,
    stderr: 'Line 1 is the bearer token (shown only now). Add line 2 to "admin.tokens" in the config.\n',
  };
}

function usage(error: string): TokenCommandResult {
  return { code: 2, stdout: '', stderr: `weir token: ${error}\nRun "weir token --help" for usage.\n` };
}
