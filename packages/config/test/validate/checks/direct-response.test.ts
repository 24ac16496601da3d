import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

function withHeaders(headers: Record<string, string>, status = 200, body?: string): ReturnType<typeof validConfig> {
  const config = validConfig();
  config.routes[0]!.directResponse = { status, headers, ...(body === undefined ? {} : { body }) };
  return config;
}

describe('direct response', () => {
  it('accepts ordinary headers and statuses', () => {
    expect(validateConfig(withHeaders({ 'Content-Type': 'text/html', 'x-empty': '', location: '/elsewhere' }, 302)).ok).toBe(true);
    expect(validateConfig(withHeaders({}, 204)).ok).toBe(true);
    expect(validateConfig(withHeaders({}, 304, '')).ok).toBe(true);
  });

  it.each([['Connection'], ['keep-alive'], ['Transfer-Encoding'], ['TE'], ['trailer'], ['upgrade'], ['proxy-connection'], ['Content-Length']])(
    'rejects %s',
    (name) => {
      expect(problemsOf(withHeaders({ 'x-ok': '1', [name]: '1' })).map((p) => p.pointer)).toEqual([`/routes/0/directResponse/headers/${name}`]);
    },
  );

  it('rejects a header set twice under different case', () => {
    expect(problemsOf(withHeaders({ 'content-type': 'a', 'Content-Type': 'b' }))).toEqual([
      {
        pointer: '/routes/0/directResponse/headers/Content-Type',
        message: 'header "Content-Type" is already set as "content-type" (header names are case-insensitive)',
      },
    ]);
  });

  it('rejects header names that are not tokens and values with CR, LF or NUL (schema)', () => {
    const problems = problemsOf(withHeaders({ 'bad name': 'a', 'x-cr': 'a\rb', 'x-lf': 'a\nb', 'x-nul': 'a\u0000b' }));
    expect(problems.map((p) => p.pointer)).toEqual([
      '/routes/0/directResponse/headers/bad name',
      '/routes/0/directResponse/headers/x-cr',
      '/routes/0/directResponse/headers/x-lf',
      '/routes/0/directResponse/headers/x-nul',
    ]);
  });

  it('rejects a body on 204 and 304', () => {
    expect(problemsOf(withHeaders({}, 204, 'x'))).toEqual([
      { pointer: '/routes/0/directResponse/body', message: 'a 204 response has no body; remove "body" or change "status"' },
    ]);
    expect(problemsOf(withHeaders({}, 304, 'x')).map((p) => p.pointer)).toEqual(['/routes/0/directResponse/body']);
  });

  it('rejects statuses outside 200-599 (schema)', () => {
    expect(problemsOf(withHeaders({}, 101)).map((p) => p.pointer)).toEqual(['/routes/0/directResponse/status']);
    expect(problemsOf(withHeaders({}, 600)).map((p) => p.pointer)).toEqual(['/routes/0/directResponse/status']);
  });
});
