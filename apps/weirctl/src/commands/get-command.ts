import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * `weirctl get [--etag]`: `GET /admin/config`, the running config as pretty JSON on stdout.
 * `--etag` prints its version on stderr (`--json`: `{"version","config"}`), for a later
 * `apply --if-match`.
 */
export const getCommand: Command = {
  name: 'get',
  flags: { etag: 'boolean' },
  async run({ line, out, client }) {
    line.expectPositionals(0, '');
    const running = await client().getConfig();
    const etag = line.boolean('etag');
    out.document(etag ? { version: running.version, config: running.config } : running.config);
    out.print(JSON.stringify(running.config, null, 2));
    if (etag && !out.json) out.note(running.version ?? '');
    return ExitCode.OK;
  },
};
