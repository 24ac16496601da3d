import { problemsOf, validConfig } from '../../fixtures/configs';

describe('route regexes', () => {
  it('reports path and header regexes that do not compile', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: '/api/(' };
    config.routes[4]!.match!.headers = [{ name: 'accept', regex: 'ok' }, { name: 'x-a', regex: '[z-a]' }];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/3/match/path/regex', '/routes/4/match/headers/1/regex']);
    expect(problems[0]?.message).toMatch(/^invalid regular expression: /);
  });

  it('compiles the bare source, so a pattern cannot close the anchoring group', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: 'a)|(b' };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/3/match/path/regex']);
  });

  it('rejects regexes over 1024 characters', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: 'a'.repeat(1025) };
    config.routes[4]!.match!.headers![0]!.regex = 'b'.repeat(1025);
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/match/path/regex', message: 'must be at most 1024 characters long' },
      { pointer: '/routes/4/match/headers/0/regex', message: 'must be at most 1024 characters long' },
    ]);
  });
});
