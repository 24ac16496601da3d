import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '@weir/config';
import { schemaValidator } from '../../src/validate/schema-validator';
import { patternMessages } from '../../src/validate/pattern-messages';
import { validateConfig } from '../../src/validate/index';
import { everyField } from '../fixtures/every-field';
import { resolveRef, schemaFields, schemaPatterns } from '../fixtures/schema-walk';

const repoRoot = join(__dirname, '..', '..', '..', '..');

describe('configSchema', () => {
  it('is the published file, frozen', () => {
    const file: unknown = JSON.parse(readFileSync(join(__dirname, '../../src/schema/weir.schema.json'), 'utf8'));
    expect(configSchema).toEqual(file);
    expect(Object.isFrozen(configSchema)).toBe(true);
    expect(Object.isFrozen(configSchema['$defs'])).toBe(true);
    expect(configSchema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('compiles in strict mode, once', () => {
    const first = schemaValidator();
    expect(typeof first).toBe('function');
    expect(schemaValidator()).toBe(first);
  });

  it('gives every field a title or description, and a description somewhere on the way', () => {
    const missing = schemaFields()
      .filter((field) => typeof field.schema['description'] !== 'string' && typeof field.schema['title'] !== 'string')
      .map((field) => field.path);
    expect(missing).toEqual([]);
  });

  it('has operator wording for every pattern, and no stale wording', () => {
    const patterns = schemaPatterns();
    expect([...patterns].filter((p) => !patternMessages.has(p))).toEqual([]);
    expect([...patternMessages.keys()].filter((p) => !patterns.has(p))).toEqual([]);
  });

  it('declares exactly the fields of the config types', () => {
    const mismatches: string[] = [];
    compareShape(everyField, configSchema, '', mismatches);
    expect(mismatches).toEqual([]);
    // everyField passes the schema: only its (deliberate) semantic problems remain.
    const check = validateConfig(everyField);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.error.details?.map((d) => d.pointer)).toEqual([
        '/listeners/0/httpsRedirect',
        '/listeners/0/protocol',
        '/pull',
        '/pull/trustedKeys/0',
        '/routes/0',
        '/routes/0/match/headers/0',
        '/routes/0/match/path',
        '/routes/0/traffic/overrides/0',
        '/upstreams/0/balancer/hashOn',
      ]);
    }
  });

  it('documents every field and its default in apps/weir/docs/config.md', () => {
    const doc = readFileSync(join(repoRoot, 'apps/weir/docs/config.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const line of doc.split('\n')) {
      const match = /^\| `([^`]+)` \|/.exec(line);
      if (match !== null) rows.set(match[1] as string, line);
    }
    const problems: string[] = [];
    for (const field of schemaFields()) {
      const row = rows.get(field.path);
      if (row === undefined) problems.push(`${field.path}: no row`);
      else if ('default' in field.schema && !row.includes('`' + JSON.stringify(field.schema['default']) + '`')) {
        problems.push(`${field.path}: default ${JSON.stringify(field.schema['default'])} not in its row`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Walks a value and the schema side by side; records keys present in only one of them. */
function compareShape(value: unknown, schemaNode: unknown, path: string, out: string[]): void {
  const schema = resolveRef(schemaNode as Readonly<Record<string, unknown>>);
  if (Array.isArray(value)) {
    compareShape(value[0], schema['items'], `${path}[]`, out);
    return;
  }
  const properties = schema['properties'] as Readonly<Record<string, unknown>> | undefined;
  if (properties === undefined || typeof value !== 'object' || value === null) return;
  const keys = new Set([...Object.keys(value), ...Object.keys(properties)]);
  for (const key of keys) {
    const at = path === '' ? key : `${path}.${key}`;
    if (!(key in properties)) out.push(`${at}: in the types, not in the schema`);
    else if (!(key in value)) out.push(`${at}: in the schema, not in the types`);
    else compareShape((value as Record<string, unknown>)[key], properties[key], at, out);
  }
}
