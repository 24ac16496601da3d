import { pointersOf, problemsOf, validConfig, type MutableConfig } from '../../fixtures/configs';
import { validateConfig } from '../../../src/validate/index';

function tlsConfig(): MutableConfig {
  const config = validConfig();
  config.certificates = [{ name: 'site', certFile: '/etc/weir/site.pem', keyFile: '/etc/weir/site.key' }];
  config.listeners.push({ name: 'https', port: 8443, tls: { certificates: ['site'] } });
  return config;
}

describe('listener protocol', () => {
  it('accepts h2c on a plain listener, a redirect on a plain listener and http2 limits where h2 is spoken', () => {
    const config = tlsConfig();
    config.listeners[0]!.protocol = 'h2c';
    config.listeners[0]!.http2 = { maxConcurrentStreams: 10 };
    config.listeners[1]!.httpsRedirect = { port: 8443 };
    config.listeners[2]!.http2 = { maxResets: 50 };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports protocol on a TLS listener, h2c or http1', () => {
    const config = tlsConfig();
    config.listeners[2]!.protocol = 'h2c';
    expect(problemsOf(config)).toEqual([
      { pointer: '/listeners/2/protocol', message: 'a TLS listener chooses its protocol by ALPN ("tls.alpn"): remove "protocol"; h2c is HTTP/2 without TLS' },
    ]);
    config.listeners[2]!.protocol = 'http1';
    expect(problemsOf(config)[0]?.message).toContain('set "tls.alpn" to ["http/1.1"]');
  });

  it('reports httpsRedirect on a TLS listener', () => {
    const config = tlsConfig();
    config.listeners[2]!.httpsRedirect = {};
    expect(pointersOf(config)).toEqual(['/listeners/2/httpsRedirect']);
  });

  it('reports minVersion newer than maxVersion, defaults included, at the field written', () => {
    const config = tlsConfig();
    config.listeners[2]!.tls!.minVersion = 'TLSv1.3';
    config.listeners[2]!.tls!.maxVersion = 'TLSv1.2';
    expect(problemsOf(config)).toEqual([{ pointer: '/listeners/2/tls/maxVersion', message: 'minVersion TLSv1.3 is newer than maxVersion TLSv1.2' }]);
    config.listeners[2]!.tls!.maxVersion = 'TLSv1.3';
    expect(validateConfig(config).ok).toBe(true);
    config.listeners[2]!.tls = { certificates: ['site'], maxVersion: 'TLSv1.2' };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports a TLS 1.3-only cipher list on a TLS 1.2-only listener', () => {
    const config = tlsConfig();
    config.listeners[2]!.tls!.maxVersion = 'TLSv1.2';
    config.listeners[2]!.tls!.ciphers = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384';
    expect(pointersOf(config)).toEqual(['/listeners/2/tls/ciphers']);
    config.listeners[2]!.tls!.ciphers = 'TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256';
    expect(validateConfig(config).ok).toBe(true);
    config.listeners[2]!.tls = { certificates: ['site'], ciphers: 'TLS_AES_128_GCM_SHA256' };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports http2 limits on a listener that never speaks HTTP/2', () => {
    const config = tlsConfig();
    config.listeners[0]!.http2 = {};
    config.listeners[2]!.http2 = {};
    config.listeners[2]!.tls!.alpn = ['http/1.1'];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/listeners/0/http2', '/listeners/2/http2']);
    expect(problems[0]?.message).toContain('"protocol": "h2c"');
    expect(problems[1]?.message).toContain('does not offer "h2"');
  });
});
