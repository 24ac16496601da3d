import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

describe('header match', () => {
  it('accepts presence, absence and one value condition', () => {
    const config = validConfig();
    config.routes[2]!.match!.headers = [
      { name: 'x-present' },
      { name: 'x-gone', absent: true },
      { name: 'x-not-absent', absent: false, prefix: 'a' },
      { name: 'x-exact', exact: '' },
    ];
    expect(validateConfig(config).ok).toBe(true);
  });

  it('rejects absent: true with a value condition', () => {
    const config = validConfig();
    config.routes[2]!.match!.headers![1] = { name: 'x-debug', absent: true, exact: '1' };
    expect(problemsOf(config)).toEqual([{ pointer: '/routes/2/match/headers/1', message: '"absent": true cannot be combined with "exact"' }]);
  });

  it('rejects more than one value condition', () => {
    const config = validConfig();
    config.routes[2]!.match!.headers![0] = { name: 'x-beta', exact: '1', prefix: '1', regex: '1' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/2/match/headers/0', message: '"exact" and "prefix" and "regex" are exclusive: set at most one' },
    ]);
  });

  it('requires header names to be tokens (schema)', () => {
    const config = validConfig();
    config.routes[2]!.match!.headers![0]!.name = 'x beta:';
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/2/match/headers/0/name']);
  });
});
