/**
 * STYLE.md rule 4 for config defaults: the `configDefaults` table and the "Default `…`" doc
 * comments of @weir/config's types/*.ts (the config contract operators read) must agree,
 * in both directions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configDefaults } from '@weir/runtime';

const typesDir = path.resolve(__dirname, '../../../config/src/types');

/** The config types, one file a section (config.ts, route.ts, upstream.ts, admin.ts). */
function typesSource(): string {
  return fs
    .readdirSync(typesDir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .sort()
    .map((f) => fs.readFileSync(path.join(typesDir, f), 'utf8'))
    .join('\n');
}

interface DocumentedField {
  readonly iface: string;
  readonly field: string;
  readonly doc: string;
}

/** Every field of every exported interface in the config types file, with its doc comment. */
function documentedFields(source: string): DocumentedField[] {
  const out: DocumentedField[] = [];
  const interfaces = source.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g);
  for (const [, iface, body] of interfaces) {
    const fields = (body as string).matchAll(/(?:\/\*\*([\s\S]*?)\*\/\s*)?readonly ([$\w]+)\??:/g);
    for (const [, doc, field] of fields) out.push({ iface: iface as string, field: field as string, doc: (doc ?? '').replace(/\s*\n\s*\*\s?/g, ' ') });
  }
  return out;
}

/** `ListenerLimitsConfig` -> `listenerLimits`, `WeirConfig` -> `weir`. */
function tableKey(iface: string): string {
  const base = iface.replace(/Config$/, '');
  return base.charAt(0).toLowerCase() + base.slice(1);
}

function literal(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const table = configDefaults as unknown as Record<string, Record<string, unknown>>;

/**
 * How a table entry reads in the doc comments, as `[field, text]`: by default its own field and
 * "Default `<JSON value>`". Two entries are documented differently.
 */
function documentedForm(section: string, field: string, value: unknown): [string, string] {
  if (section === 'directResponse' && field === 'contentType') return ['headers', `Default \`content-type: ${String(value)}\``];
  if (section === 'directResponse' && field === 'body') return ['body', 'Default: empty'];
  return [field, `Default \`${JSON.stringify(value)}\``];
}

describe('configDefaults against the config types doc comments', () => {
  const fields = documentedFields(typesSource());

  it('finds the documented fields', () => {
    expect(fields.length).toBeGreaterThan(40);
  });

  it('has every literal default documented in the config types, with the same value', () => {
    let checked = 0;
    for (const { iface, field, doc } of fields) {
      const match = /Default `([^`]*)`/.exec(doc);
      if (match === null) continue;
      checked++;
      const section = tableKey(iface);
      const documented = literal(match[1] as string);
      const actual =
        section === 'directResponse' && field === 'headers'
          ? `content-type: ${String(table[section]?.['contentType'])}`
          : table[section]?.[field];
      expect({ field: `${iface}.${field}`, value: actual }).toEqual({ field: `${iface}.${field}`, value: documented });
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('documents every table entry as a default of a config field', () => {
    for (const [section, values] of Object.entries(table)) {
      for (const [field, value] of Object.entries(values)) {
        const [docField, text] = documentedForm(section, field, value);
        const entry = fields.find((f) => tableKey(f.iface) === section && f.field === docField);
        expect({ entry: `${section}.${field}`, documented: entry?.doc.includes(text) }).toEqual({ entry: `${section}.${field}`, documented: true });
      }
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(configDefaults)).toBe(true);
    expect(Object.isFrozen(configDefaults.listenerLimits)).toBe(true);
  });
});
