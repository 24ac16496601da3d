import { ExitCode } from '../exit-codes';
import { formatTable } from '../table';
import type { Command } from './command';

/** `weirctl versions`: `GET /admin/config/versions`, newest first, `*` marking the running one. */
export const versionsCommand: Command = {
  name: 'versions',
  flags: {},
  async run({ line, out, client }) {
    line.expectPositionals(0, '');
    const list = await client().listVersions();
    out.document(list);
    const rows = list.versions.map((v) => [v.current ? '*' : '', v.id, v.version, v.source, v.principal ?? '-', v.committedAt]);
    out.print(...formatTable([['', 'ID', 'VERSION', 'SOURCE', 'PRINCIPAL', 'COMMITTED'], ...rows]));
    return ExitCode.OK;
  },
};
