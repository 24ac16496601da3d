import type { ErrorObject } from 'ajv';
import { schemaProblems } from '../../src/validate/schema-problems';
import { problemsOf, validConfig } from '../fixtures/configs';

/** The single problem of a config with one schema error. */
function onlyProblem(value: unknown): { pointer: string; message: string } {
  const problems = problemsOf(value);
  expect(problems).toHaveLength(1);
  return problems[0] as { pointer: string; message: string };
}

describe('schema problems, as an operator reads them', () => {
  it('required: points at the missing key', () => {
    const config = validConfig() as unknown as { listeners: Record<string, unknown>[] };
    delete config.listeners[0]?.['port'];
    expect(onlyProblem(config)).toEqual({ pointer: '/listeners/0/port', message: 'is required' });
  });

  it('additionalProperties: names the key and suggests a close one', () => {
    expect(onlyProblem({ ...validConfig(), upstream: [] })).toEqual({
      pointer: '/upstream',
      message: 'unknown property "upstream" (did you mean "upstreams"?)',
    });
    expect(onlyProblem({ ...validConfig(), zzzz: 1 }).message).toBe('unknown property "zzzz" (top-level extension keys must start with "x-")');
    const config = validConfig();
    (config.routes[0]!.match as Record<string, unknown>)['zzzz'] = 1;
    expect(onlyProblem(config)).toEqual({ pointer: '/routes/0/match/zzzz', message: 'unknown property "zzzz"' });
  });

  it('type, enum, const-or-integer', () => {
    const config = validConfig() as unknown as Record<string, unknown>;
    config['listeners'] = 'public';
    expect(onlyProblem(config)).toEqual({ pointer: '/listeners', message: 'must be an array' });
    const levels = validConfig();
    (levels.logging as Record<string, unknown>)['level'] = 'verbose';
    expect(onlyProblem(levels)).toEqual({
      pointer: '/logging/level',
      message: 'must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent"',
    });
    for (const workers of [0, 1025, 1.5, 'all']) {
      expect(onlyProblem({ ...validConfig(), workers })).toEqual({ pointer: '/workers', message: 'must be an integer from 1 to 1024 or "auto"' });
    }
    expect(onlyProblem({ ...validConfig(), logging: [] })).toEqual({ pointer: '/logging', message: 'must be an object' });
    expect(onlyProblem({ ...validConfig(), $schema: 1 })).toEqual({ pointer: '/$schema', message: 'must be a string' });
  });

  it('numeric bounds keep ajv wording', () => {
    const config = validConfig();
    config.listeners[0]!.port = 65536;
    expect(onlyProblem(config)).toEqual({ pointer: '/listeners/0/port', message: 'must be <= 65535' });
  });

  it('pattern, minLength, maxLength, minItems, uniqueItems', () => {
    const accessLog = validConfig();
    accessLog.logging!.accessLog!.path = 'relative/access.log';
    expect(onlyProblem(accessLog)).toEqual({ pointer: '/logging/accessLog/path', message: 'must be "stdout" or an absolute file path' });

    const emptyRegex = validConfig();
    emptyRegex.routes[3]!.match!.path = { regex: '' };
    expect(onlyProblem(emptyRegex)).toEqual({ pointer: '/routes/3/match/path/regex', message: 'must not be empty' });

    const longName = validConfig();
    longName.routes[0]!.name = 'a'.repeat(129);
    expect(onlyProblem(longName)).toEqual({ pointer: '/routes/0/name', message: 'must be at most 128 characters long' });

    const smallHeaders = validConfig();
    smallHeaders.listeners[0]!.limits!.maxHeaderBytes = 1023;
    expect(onlyProblem(smallHeaders)).toEqual({ pointer: '/listeners/0/limits/maxHeaderBytes', message: 'must be >= 1024' });

    const noEndpoints = validConfig();
    noEndpoints.upstreams![1]!.endpoints = [];
    expect(onlyProblem(noEndpoints)).toEqual({ pointer: '/upstreams/1/endpoints', message: 'must have at least 1 item' });

    const twice = validConfig();
    twice.routes[0]!.match!.methods = ['GET', 'HEAD', 'GET'];
    expect(onlyProblem(twice)).toEqual({ pointer: '/routes/0/match/methods/2', message: 'duplicate of item 0' });
  });

  it('propertyNames: points at the offending key', () => {
    const config = validConfig();
    config.routes[4]!.directResponse!.headers = { 'x/bad name': 'v' };
    expect(onlyProblem(config)).toEqual({
      pointer: '/routes/4/directResponse/headers/x~1bad name',
      message: 'name "x/bad name" must be an HTTP token (letters, digits and !#$%&\'*+-.^_`|~, no spaces)',
    });
  });

  it('drops duplicate problems and falls back to ajv wording for keywords it does not know', () => {
    const base = { instancePath: '/a', schemaPath: '#/x', params: {} };
    const errors: ErrorObject[] = [
      { ...base, keyword: 'maxItems', params: { limit: 2 }, message: 'must NOT have more than 2 items' },
      { ...base, keyword: 'maxItems', params: { limit: 2 }, message: 'must NOT have more than 2 items' },
      { ...base, keyword: 'not', instancePath: '/b' },
      { ...base, keyword: 'pattern', instancePath: '/c', params: { pattern: '^z$' } },
      { ...base, keyword: 'minItems', instancePath: '/d', params: { limit: 2 } },
      { ...base, keyword: 'minLength', instancePath: '/e', params: { limit: 3 } },
      { ...base, keyword: 'anyOf', instancePath: '/f', schemaPath: '#/f/anyOf', schema: [{ type: 'string' }, { type: 'boolean' }] },
      { ...base, keyword: 'type', instancePath: '/f', schemaPath: '#/f/anyOf/0/type', params: { type: 'string' } },
      { ...base, keyword: 'additionalProperties', instancePath: '/g', params: { additionalProperty: 'k' } },
      { ...base, keyword: 'const', instancePath: '/h', params: { allowedValue: 'auto' } },
    ];
    expect(schemaProblems(errors)).toEqual([
      { pointer: '/a', message: 'must NOT have more than 2 items' },
      { pointer: '/b', message: 'is invalid' },
      { pointer: '/c', message: 'must match the pattern ^z$' },
      { pointer: '/d', message: 'must have at least 2 items' },
      { pointer: '/e', message: 'must be at least 3 characters long' },
      { pointer: '/f', message: 'must be a string or a boolean' },
      { pointer: '/g/k', message: 'unknown property "k"' },
      { pointer: '/h', message: 'must be "auto"' },
    ]);
  });
});
