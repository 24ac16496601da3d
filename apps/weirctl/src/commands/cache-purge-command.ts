import { usageError } from '../cli-error';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * `weirctl cache purge --route NAME (--key URL | --prefix URL)`: `POST /admin/cache/purge`
 * (needs write). A route that is unknown or has no cache is exit 8 (404); a worker that did not
 * acknowledge is exit 8 too (504: the purge may be partial, and repeating it is safe).
 */
export const cachePurgeCommand: Command = {
  name: 'cache purge',
  flags: { route: 'string', key: 'string', prefix: 'string' },
  async run({ line, out, client }) {
    line.expectPositionals(0, '');
    const route = line.string('route');
    if (route === undefined || route === '') throw usageError('cache purge needs --route NAME');
    const key = line.string('key');
    const prefix = line.string('prefix');
    if ((key === undefined) === (prefix === undefined)) throw usageError('cache purge needs exactly one of --key URL or --prefix URL');
    const target = key !== undefined ? { key } : { prefix: prefix as string };
    const result = await client().purgeCache(route, target);
    out.document(result);
    const what = key !== undefined ? `key ${key}` : `prefix ${prefix as string}`;
    const counts = result.workers.map((w) => `worker ${w.index} (pid ${w.pid}): ${w.purged}`).join(', ');
    out.print(`purged ${result.purged} ${result.purged === 1 ? 'entry' : 'entries'} of route "${result.route}" (${what})${counts === '' ? '' : `; ${counts}`}`);
    return ExitCode.OK;
  },
};
