import { SpecFieldsHasher, hashSpecFields } from '../../src/spec/index';
import { buildSpec, specHash } from '@weir/runtime';
import { minimalConfig, reverseKeys, richConfig } from '../fixtures';

/**
 * The incremental hash (issue 15) must equal hashSpecFields byte for byte, whatever the chunking,
 * or every worker would reject every spec.
 */
function streamed(value: Record<string, unknown>, chunk: number): string {
  const { routes, ...head } = value;
  const hasher = new SpecFieldsHasher(head, 'routes');
  const list = routes as unknown[];
  for (let i = 0; i < list.length; i += chunk) hasher.items(list.slice(i, i + chunk));
  return hasher.digest();
}

function many(n: number): Record<string, unknown> {
  const base = richConfig();
  const routes = [];
  for (let i = 0; i < n; i++) routes.push({ ...base.routes[i % base.routes.length]!, name: `r${i}` });
  return buildSpec({ ...base, routes }) as unknown as Record<string, unknown>;
}

describe('SpecFieldsHasher', () => {
  const specs: [string, Record<string, unknown>][] = [
    ['minimal', buildSpec(minimalConfig()) as unknown as Record<string, unknown>],
    ['rich', buildSpec(richConfig()) as unknown as Record<string, unknown>],
    ['no routes', buildSpec({ ...minimalConfig(), routes: [] }) as unknown as Record<string, unknown>],
    ['1,234 routes', many(1234)],
    ['keys in reverse order (general writer)', reverseKeys(many(40))],
    ['extra and undefined fields', { ...(buildSpec(richConfig()) as unknown as Record<string, unknown>), aaa: 1, zzz: [{ b: 1, a: 2 }], undef: undefined }],
  ];

  it.each(specs)('equals hashSpecFields on the %s spec, for any chunk size', (_name, spec) => {
    const expected = hashSpecFields(spec);
    for (const chunk of [1, 7, 500, 100_000]) expect(streamed(spec, chunk)).toBe(expected);
  });

  it('equals the hash buildSpec wrote', () => {
    const spec = many(501);
    expect(streamed(spec, 500)).toBe(spec['hash']);
    expect(specHash(spec as never)).toBe(spec['hash']);
  });

  it('throws a TypeError for a value canonical JSON cannot write, as hashSpecFields does', () => {
    const hasher = new SpecFieldsHasher({ format: 1 }, 'routes');
    expect(() => hasher.items([{ big: 10n }])).toThrow(TypeError);
  });
});
