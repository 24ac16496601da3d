import { problemsOf, validConfig } from '../../fixtures/configs';
import { validateConfig } from '../../../src/validate/index';

describe('upstream tls', () => {
  it('accepts TLS with a CA, a server name and a client certificate', () => {
    const config = validConfig();
    config.upstreams![0]!.tls = { caFile: '/etc/weir/ca.pem', serverName: 'api.internal', certFile: '/etc/weir/c.pem', keyFile: '/etc/weir/c.key', minVersion: 'TLSv1.3' };
    config.upstreams![1]!.tls = {};
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports certFile without keyFile and the reverse', () => {
    const config = validConfig();
    config.upstreams![0]!.tls = { certFile: '/etc/weir/c.pem' };
    config.upstreams![1]!.tls = { keyFile: '/etc/weir/c.key' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/upstreams/0/tls/keyFile', message: 'is required with "certFile" (the client certificate\'s private key)' },
      { pointer: '/upstreams/1/tls/certFile', message: 'is required with "keyFile" (the client certificate the key belongs to)' },
    ]);
  });

  it('reports a CA file that verify: false would ignore', () => {
    const config = validConfig();
    config.upstreams![0]!.tls = { caFile: '/etc/weir/ca.pem', verify: false };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/upstreams/0/tls/caFile']);
    config.upstreams![0]!.tls = { verify: false };
    expect(validateConfig(config).ok).toBe(true);
  });
});
