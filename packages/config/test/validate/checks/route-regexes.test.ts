import { validateConfig } from '../../../src/index';
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

  it('rejects what RE2 cannot match in linear time, with the pointer and the reason', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: '/(a+)/\\1' };
    config.routes[4]!.match!.headers = [{ name: 'x-a', regex: 'v(?=1)' }, { name: 'x-b', regex: '(?<!a)b' }];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/routes/3/match/path/regex',
      '/routes/4/match/headers/0/regex',
      '/routes/4/match/headers/1/regex',
    ]);
    expect(problems[0]?.message).toMatch(/backreferences .* linear time/);
    expect(problems[1]?.message).toMatch(/lookaround .* linear time/);
    expect(problems[2]?.message).toMatch(/lookaround .* linear time/);
  });

  it('accepts catastrophic-for-backtracking patterns: RE2 matches them in linear time', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: '^/(a+)+$' };
    config.routes[4]!.match!.headers = [{ name: 'x-a', regex: '(a|aa)+' }];
    expect(validateConfig(config).ok).toBe(true);
  });

  it('caps the program size at server.regexMaxProgramSize, default 100', () => {
    const config = validConfig();
    config.routes[3]!.match!.path = { regex: '/u/[a-z0-9]{1,64}' };
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/3/match/path/regex']);
    expect(problems[0]?.message).toMatch(/more than the limit of 100 \(server\.regexMaxProgramSize\)/);
    const raised = { ...config, server: { ...config.server, regexMaxProgramSize: 200 } };
    expect(validateConfig(raised).ok).toBe(true);
  });
});
