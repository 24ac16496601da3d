import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

function withHosts(...hosts: string[]): ReturnType<typeof validConfig> {
  const config = validConfig();
  config.routes[1]!.match = { hosts };
  return config;
}

describe('route hosts', () => {
  it('accepts exact names, leading wildcards, IP literals and bracketed IPv6, in any case', () => {
    expect(validateConfig(withHosts('example.com', 'Example.ORG', '*.example.com', 'localhost', '127.0.0.1', '[::1]', 'a_b.internal')).ok).toBe(true);
  });

  it.each([['*'], ['*example.com'], ['a.*.example.com'], ['example.*'], ['**.example.com'], ['example.com:8080'], ['exa mple.com'], ['-a.com'], ['']])(
    'rejects %j with the schema',
    (host) => {
      expect(problemsOf(withHosts('ok.example', host)).map((p) => p.pointer)).toEqual(['/routes/1/match/hosts/1']);
    },
  );

  it('rejects a host listed twice under different case', () => {
    expect(problemsOf(withHosts('example.com', '*.example.com', 'EXAMPLE.com'))).toEqual([
      {
        pointer: '/routes/1/match/hosts/2',
        message: 'host "EXAMPLE.com" is already listed at /routes/1/match/hosts/0 (hosts are case-insensitive)',
      },
    ]);
  });

  it('rejects a bracketed host that is not IPv6', () => {
    expect(problemsOf(withHosts('[1.2.3.4]', '[::1]')).map((p) => p.pointer)).toEqual(['/routes/1/match/hosts/0']);
  });
});
