import { validateConfig } from '../../src/validate/index';
import { problemsOf, validConfig, type MutableConfig } from '../fixtures/configs';

/** The schema side of the edge fields (issue 8): what it accepts, what it refuses and how it says so. */
function tlsConfig(): MutableConfig {
  const config = validConfig();
  config.certificates = [{ name: 'site', certFile: '/etc/weir/site.pem', keyFile: '/etc/weir/site.key' }];
  config.listeners.push({ name: 'https', port: 8443, tls: { certificates: ['site'] } });
  return config;
}

describe('edge fields in the schema', () => {
  it('accepts every edge field at its bounds', () => {
    const config = tlsConfig();
    config.certificates![0]!.serverNames = ['example.com', '*.example.com', 'localhost', 'xn--bcher-kva.example'];
    config.listeners[2]!.tls = {
      certificates: ['site'],
      defaultCertificate: 'site',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_128_GCM_SHA256',
      ecdhCurves: 'X25519',
      alpn: ['http/1.1', 'h2'],
      clientAuth: { caFile: 'clients-ca.pem', required: false },
      handshakeTimeoutMs: 1,
    };
    config.listeners[2]!.http2 = { maxConcurrentStreams: 10000, initialWindowBytes: 2147483647, maxResets: 100000, resetWindowMs: 86400000 };
    config.listeners[0]!.protocol = 'h2c';
    config.listeners[0]!.http2 = { maxConcurrentStreams: 1, initialWindowBytes: 1, maxResets: 1, resetWindowMs: 1 };
    config.listeners[1]!.httpsRedirect = { port: 65535, status: 301 };
    config.routes[1]!.upgrades = { websocket: true, idleTimeoutMs: 86400000, maxLifetimeMs: 604800000 };
    config.routes[1]!.httpsRedirect = { port: 1, status: 307 };
    config.upstreams![0]!.tls = { caFile: '/c', serverName: 'API.internal', verify: true, certFile: '/a', keyFile: '/b', minVersion: 'TLSv1.3' };
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('refuses out-of-range numbers and unknown values, with pointers', () => {
    const config = tlsConfig();
    config.listeners[2]!.http2 = { maxConcurrentStreams: 10001, initialWindowBytes: 0, maxResets: 100001, resetWindowMs: 0 };
    config.listeners[1]!.httpsRedirect = { port: 0, status: 303 as 308 };
    config.routes[1]!.upgrades = { idleTimeoutMs: 0, maxLifetimeMs: 604800001 };
    config.listeners[2]!.tls!.minVersion = 'TLSv1.1' as 'TLSv1.2';
    config.listeners[2]!.tls!.handshakeTimeoutMs = 0;
    expect(problemsOf(config).map((p) => p.pointer)).toEqual([
      '/listeners/1/httpsRedirect/port',
      '/listeners/1/httpsRedirect/status',
      '/listeners/2/http2/initialWindowBytes',
      '/listeners/2/http2/maxConcurrentStreams',
      '/listeners/2/http2/maxResets',
      '/listeners/2/http2/resetWindowMs',
      '/listeners/2/tls/handshakeTimeoutMs',
      '/listeners/2/tls/minVersion',
      '/routes/1/upgrades/idleTimeoutMs',
      '/routes/1/upgrades/maxLifetimeMs',
    ]);
  });

  it('refuses unknown keys in every edge object, with a suggestion', () => {
    const config = tlsConfig() as unknown as { listeners: Record<string, unknown>[]; certificates: Record<string, unknown>[] };
    config.certificates[0]!['keyfile'] = '/x';
    (config.listeners[2]!['tls'] as Record<string, unknown>)['alpnn'] = ['h2'];
    expect(problemsOf(config)).toEqual([
      { pointer: '/certificates/0/keyfile', message: 'unknown property "keyfile" (did you mean "keyFile"?)' },
      { pointer: '/listeners/2/tls/alpnn', message: 'unknown property "alpnn" (did you mean "alpn"?)' },
    ]);
  });

  it('requires certFile, keyFile and name of a certificate, and certificates of a TLS listener', () => {
    const config = tlsConfig() as unknown as { listeners: Record<string, unknown>[]; certificates: Record<string, unknown>[] };
    config.certificates[0] = { name: 'site' };
    config.listeners[2]!['tls'] = { certificates: [] };
    expect(problemsOf(config)).toEqual([
      { pointer: '/certificates/0/certFile', message: 'is required' },
      { pointer: '/certificates/0/keyFile', message: 'is required' },
      { pointer: '/listeners/2/tls/certificates', message: 'must have at least 1 item' },
    ]);
  });

  it('refuses server names that are IPs, deep wildcards or not names, in operator words', () => {
    const config = tlsConfig();
    config.certificates![0]!.serverNames = ['127.0.0.1', '*.*.example.com', 'a.*.example.com', 'bad_name.example', 'ok.example'];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual([0, 1, 2, 3].map((i) => `/certificates/0/serverNames/${i}`));
    expect(problems[0]?.message).toBe('must be a DNS name ("example.com") or a wildcard with "*" as its whole first label ("*.example.com"), not an IP address');
  });

  it('refuses a wildcard or an IP as an upstream serverName', () => {
    const config = validConfig();
    config.upstreams![0]!.tls = { serverName: '*.internal' };
    config.upstreams![1]!.tls = { serverName: '10.0.0.1' };
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/upstreams/0/tls/serverName', '/upstreams/1/tls/serverName']);
  });

  it('refuses empty and over-long file paths, a bad alpn list and a listed-twice server name', () => {
    const config = tlsConfig();
    config.certificates![0]!.certFile = '';
    config.certificates![0]!.keyFile = '/' + 'k'.repeat(4096);
    config.certificates![0]!.serverNames = ['a.example', 'a.example'];
    config.listeners[2]!.tls!.alpn = ['h2', 'h3' as 'h2'];
    expect(problemsOf(config)).toEqual([
      { pointer: '/certificates/0/certFile', message: 'must not be empty' },
      { pointer: '/certificates/0/keyFile', message: 'must be at most 4096 characters long' },
      { pointer: '/certificates/0/serverNames/1', message: 'duplicate of item 0' },
      { pointer: '/listeners/2/tls/alpn/1', message: 'must be one of "h2", "http/1.1"' },
    ]);
  });
});
