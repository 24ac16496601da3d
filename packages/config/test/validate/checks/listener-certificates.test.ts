import { pointersOf, problemsOf, validConfig, type MutableConfig } from '../../fixtures/configs';
import { validateConfig } from '../../../src/validate/index';

/** The valid fixture with two certificates and a TLS listener serving both. */
function tlsConfig(): MutableConfig {
  const config = validConfig();
  config.certificates = [
    { name: 'site', certFile: '/etc/weir/site.pem', keyFile: '/etc/weir/site.key' },
    { name: 'api', certFile: '/etc/weir/api.pem', keyFile: '/etc/weir/api.key', serverNames: ['api.example.com', '*.api.example.com'] },
  ];
  config.listeners.push({ name: 'https', port: 8443, tls: { certificates: ['site', 'api'], defaultCertificate: 'site' } });
  return config;
}

describe('listener certificates', () => {
  it('accepts a TLS listener whose certificates exist', () => {
    expect(validateConfig(tlsConfig()).ok).toBe(true);
  });

  it('reports an unknown certificate, with a suggestion when one is close', () => {
    const config = tlsConfig();
    config.listeners[2]!.tls!.certificates = ['sitE1', 'apx', 'nope'];
    config.listeners[2]!.tls!.defaultCertificate = 'sitE1';
    expect(problemsOf(config)).toEqual([
      { pointer: '/listeners/2/tls/certificates/0', message: 'unknown certificate "sitE1" (did you mean "site"?)' },
      { pointer: '/listeners/2/tls/certificates/1', message: 'unknown certificate "apx" (did you mean "api"?)' },
      { pointer: '/listeners/2/tls/certificates/2', message: 'unknown certificate "nope"' },
    ]);
  });

  it('says where to define certificates when there are none', () => {
    const config = tlsConfig();
    config.certificates = undefined;
    expect(problemsOf(config).map((p) => p.message)).toEqual([
      'unknown certificate "site"; define it in the top-level "certificates"',
      'unknown certificate "api"; define it in the top-level "certificates"',
    ]);
  });

  it('reports a certificate listed twice (schema)', () => {
    const config = tlsConfig();
    config.listeners[2]!.tls!.certificates = ['site', 'api', 'site'];
    expect(problemsOf(config)).toEqual([{ pointer: '/listeners/2/tls/certificates/2', message: 'duplicate of item 0' }]);
  });

  it('reports a default certificate that is not one of the listener\'s', () => {
    const config = tlsConfig();
    config.listeners[2]!.tls!.certificates = ['api'];
    expect(pointersOf(config)).toEqual(['/listeners/2/tls/defaultCertificate']);
  });

  it('reports duplicate certificate names', () => {
    const config = tlsConfig();
    config.certificates![1]!.name = 'site';
    config.listeners[2]!.tls!.certificates = ['site'];
    expect(problemsOf(config)).toEqual([{ pointer: '/certificates/1/name', message: 'duplicate certificate name "site" (first used at /certificates/0)' }]);
  });

  it('reports two certificates of one listener claiming one server name, case-insensitively', () => {
    const config = tlsConfig();
    config.certificates![0]!.serverNames = ['example.com', 'API.example.com'];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/listeners/2/tls/certificates/1']);
    expect(problems[0]?.message).toContain('"api.example.com", as does certificate "site" at /listeners/2/tls/certificates/0');
    // The same certificates on different listeners are fine.
    config.listeners[2]!.tls!.certificates = ['site'];
    config.listeners.push({ name: 'https-api', port: 8444, tls: { certificates: ['api'] } });
    expect(validateConfig(config).ok).toBe(true);
  });

  it('does not count a wildcard and an exact name under it as a clash', () => {
    const config = tlsConfig();
    config.certificates![0]!.serverNames = ['v1.api.example.com'];
    expect(validateConfig(config).ok).toBe(true);
  });
});
