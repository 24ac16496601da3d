/**
 * STYLE.md rule 4: the error catalogue and apps/weir/docs/errors.md must agree, in both
 * directions (after fastify's test/internals/errors.test.js). Adding a code without documenting
 * it, or documenting a code that does not exist, fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogue, errorBodyBuffer, errorCodes } from '@weir/errors';
import type { ErrorCode } from '@weir/errors';

const docFile = path.resolve(__dirname, '../../../apps/weir/docs/errors.md');

interface DocRow {
  readonly code: string;
  readonly status: number;
  readonly source: string;
  readonly retryable: boolean;
  readonly description: string;
}

/** Rows of the codes table: lines like "| `WEIR_ERR_X` | 404 | downstream | no | Text. |". */
function docRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`(WEIR_ERR_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(\w+)\s*\|\s*(yes|no)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (match === null) continue;
    rows.push({
      code: match[1] as string,
      status: Number(match[2]),
      source: match[3] as string,
      retryable: match[4] === 'yes',
      description: match[5] as string,
    });
  }
  return rows;
}

describe('apps/weir/docs/errors.md', () => {
  const markdown = fs.readFileSync(docFile, 'utf8');
  const rows = docRows(markdown);

  it('documents every catalogue code once, with its status, source, retry decision and description', () => {
    for (const code of errorCodes) {
      const documented = rows.filter((r) => r.code === code);
      const entry = catalogue[code];
      expect({ code, rows: documented }).toEqual({
        code,
        rows: [{ code, status: entry.status, source: entry.source, retryable: entry.retryable, description: entry.description }],
      });
    }
  });

  it('documents no code that the catalogue lacks', () => {
    const unknown = rows.map((r) => r.code).filter((code) => !(code in catalogue));
    expect(unknown).toEqual([]);
    expect(rows).toHaveLength(errorCodes.length);
  });

  it('lists the codes in catalogue order', () => {
    expect(rows.map((r) => r.code)).toEqual(errorCodes);
  });

  it('shows the body shape exactly as the proxy sends it', () => {
    const example = /```json\n(.*)\n```/.exec(markdown)?.[1];
    const code = (/"code":"(WEIR_ERR_[A-Z_]+)"/.exec(example ?? '')?.[1] ?? 'WEIR_ERR_NO_ROUTE') as ErrorCode;
    expect(example + '\n').toBe(errorBodyBuffer(code).toString('utf8'));
  });
});
