import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

function withAddresses(...addresses: string[]): ReturnType<typeof validConfig> {
  const config = validConfig();
  config.upstreams![0]!.endpoints = addresses.map((address) => ({ address }));
  return config;
}

describe('upstream endpoints', () => {
  it.each([
    ['127.0.0.1:80'],
    ['[::1]:8080'],
    ['[fe80::1%eth0]:443'],
    ['api.internal:65535'],
    ['localhost:1'],
    ['svc_a.ns.svc.cluster.local:8080'],
  ])('accepts %s', (address) => {
    expect(validateConfig(withAddresses(address)).ok).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'missing ":port"'],
    ['127.0.0.1:0', 'port "0" must be an integer from 1 to 65535'],
    ['127.0.0.1:65536', 'port "65536" must be an integer from 1 to 65535'],
    ['127.0.0.1:080', 'port "080" must be an integer from 1 to 65535'],
    ['127.0.0.1:', 'port "" must be an integer from 1 to 65535'],
    ['127.0.0.1:http', 'port "http" must be an integer from 1 to 65535'],
    [':80', 'missing host before ":"'],
    ['::1:80', 'write an IPv6 address in brackets, e.g. "[::1]:8080"'],
    ['[::1:80', 'missing "]" after the IPv6 address'],
    ['[::1]80', 'missing ":port" after "]"'],
    ['[1.2.3.4]:80', '"1.2.3.4" is not an IPv6 address'],
    ['256.1.1.1:80', '"256.1.1.1" is not a valid IPv4 address'],
    ['10.1.1:80', '"10.1.1" is not a valid IPv4 address'],
    ['-bad.example:80', '"-bad.example" is not a valid host name (labels are 1-63 letters, digits, "_" or "-")'],
    ['a..b:80', '"a..b" is not a valid host name (labels are 1-63 letters, digits, "_" or "-")'],
    ['http://a:80', 'write host:port, without a scheme such as "http://"'],
    ['a/b:80', '"a/b" is not a valid host name (labels are 1-63 letters, digits, "_" or "-")'],
    [`${'a.'.repeat(127)}ab:80`, 'host name is longer than 253 characters'],
  ])('rejects %s', (address, reason) => {
    expect(problemsOf(withAddresses(address))).toEqual([
      { pointer: '/upstreams/0/endpoints/0/address', message: `invalid address "${address}": ${reason}` },
    ]);
  });

  it('rejects the same endpoint twice, comparing names case-insensitively and IPv6 canonically', () => {
    const config = withAddresses('127.0.0.1:80', 'API.internal:80', '[::1]:80', '127.0.0.1:80', 'api.INTERNAL:80', '[0:0::1]:80', '127.0.0.1:81');
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([
      '/upstreams/0/endpoints/3/address',
      '/upstreams/0/endpoints/4/address',
      '/upstreams/0/endpoints/5/address',
    ]);
    expect(problems[2]?.message).toBe('endpoint "[0:0::1]:80" is already listed at /upstreams/0/endpoints/2');
  });
});
