import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_TYPES } from '../src/index';

/** STYLE.md rule 4: every plugin type has its section in apps/weir/docs/plugins.md, in order. */
const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'apps', 'weir', 'docs', 'plugins.md'), 'utf8');

describe('apps/weir/docs/plugins.md', () => {
  it('has a section and a table row for every plugin type', () => {
    const named = new Set([...doc.matchAll(/^## (.*)$/gm)].flatMap((m) => [...(m[1] as string).matchAll(/`(\w+)`/g)].map((n) => n[1] as string)));
    for (const type of PLUGIN_TYPES) {
      expect({ type, section: named.has(type), row: doc.includes(`| \`${type}\` |`) }).toEqual({ type, section: true, row: true });
    }
  });

  it('has only valid JSON in its json blocks', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) expect(() => JSON.parse(block)).not.toThrow();
  });
});
