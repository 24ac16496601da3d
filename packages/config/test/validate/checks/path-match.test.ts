import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

describe('path match', () => {
  it('requires exactly one of exact, prefix, regex', () => {
    const config = validConfig();
    config.routes[0]!.match!.path = {};
    config.routes[3]!.match!.path = { prefix: '/api', regex: '/api.*' };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/0/match/path', '/routes/3/match/path']);
    expect(problems[1]?.message).toBe('"prefix" and "regex" are exclusive: set exactly one');
  });

  it('requires exact and prefix to start with "/" (schema)', () => {
    const config = validConfig();
    config.routes[0]!.match!.path = { exact: 'healthz' };
    config.routes[2]!.match!.path = { prefix: 'api/' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/0/match/path/exact', message: 'must start with "/" and contain no "?", "#" or whitespace' },
      { pointer: '/routes/2/match/path/prefix', message: 'must start with "/" and contain no "?", "#" or whitespace' },
    ]);
  });

  it('rejects a query or fragment in exact and prefix (they match the path only)', () => {
    const config = validConfig();
    config.routes[0]!.match!.path = { exact: '/healthz?full=1' };
    config.routes[2]!.match!.path = { prefix: '/api#x' };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/0/match/path/exact', '/routes/2/match/path/prefix']);
  });

  it('accepts "/" as an exact path and as a prefix', () => {
    const config = validConfig();
    config.routes[0]!.match!.path = { exact: '/' };
    config.routes[2]!.match!.path = { prefix: '/' };
    expect(validateConfig(config).ok).toBe(true);
  });
});
