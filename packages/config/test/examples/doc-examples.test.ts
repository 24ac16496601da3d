import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@weir/config';

const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'apps', 'weir', 'docs', 'config.md'), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((text) => text.includes('"listeners"'));

describe('apps/weir/docs/config.md examples', () => {
  it('holds the full example, identical to deploy/examples/basic.json', () => {
    const basic = readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'examples', 'basic.json'), 'utf8');
    expect(blocks).toContain(basic);
  });

  it.each(blocks.map((text, i) => [i, text] as const))('config block %i is valid', (_i, text) => {
    const check = parseConfig(text);
    expect(check.ok ? [] : (check.error.details ?? [{ pointer: '', message: check.error.message }])).toEqual([]);
  });
});
