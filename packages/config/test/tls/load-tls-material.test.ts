import * as fs from 'node:fs';
import { loadTlsMaterial, type WeirConfig } from '@weir/config';
import { makeCertFiles, type CertFiles } from '../../../../tools/jest/cert-files';
import type { MutableConfig } from '../fixtures/configs';

/**
 * loadTlsMaterial against real files made by openssl: a private CA, a certificate with DNS,
 * wildcard and IP subjectAltNames, a second one, an expired one, a self-signed one with a
 * common name only, and one whose common name is no DNS name.
 */
describe('loadTlsMaterial', () => {
  let certs: CertFiles;
  beforeAll(() => {
    certs = makeCertFiles([
      { name: 'site', names: ['Example.com', '*.api.example.com'], ips: ['127.0.0.1'] },
      { name: 'other', names: ['other.example'] },
      { name: 'old', names: ['old.example'], expired: true },
      { name: 'twin', names: ['example.com'] },
    ]);
  });
  afterAll(() => certs.remove());

  /** One TLS listener serving `names` of the given certificates. */
  function configWith(certificates: MutableConfig['certificates'], names = (certificates ?? []).map((c) => c.name)): MutableConfig {
    return {
      listeners: [{ name: 'https', port: 0, tls: { certificates: names } }],
      routes: [],
      certificates,
    };
  }
  const site = (): { name: string; certFile: string; keyFile: string } => ({ name: 'site', certFile: certs.files['site']!.cert, keyFile: certs.files['site']!.key });

  it('reads a good certificate and key: PEM text by path, SANs lower-cased, notAfter', () => {
    const result = loadTlsMaterial(configWith([site()]) as WeirConfig);
    expect(result.problems).toEqual([]);
    const cert = certs.files['site']!;
    expect(result.material.files.get(cert.cert)).toBe(fs.readFileSync(cert.cert, 'utf8'));
    expect(result.material.files.get(cert.key)).toBe(fs.readFileSync(cert.key, 'utf8'));
    const leaf = result.material.leaves.get('site');
    expect(leaf?.dnsNames).toEqual(['example.com', '*.api.example.com']);
    expect(leaf?.notAfter).toBeGreaterThan(Date.now() + 20 * 86_400_000);
  });

  it('reads each path once, however many fields name it', () => {
    const read = jest.fn((path: string) => fs.readFileSync(path, 'utf8'));
    const config = configWith([site(), { ...site(), name: 'again', serverNames: ['again.example'] }]);
    config.listeners[0]!.tls!.clientAuth = { caFile: certs.files['ca']!.cert };
    config.upstreams = [{ name: 'u', endpoints: [{ address: 'a.internal:443' }], tls: { caFile: certs.files['ca']!.cert } }];
    const result = loadTlsMaterial(config as WeirConfig, { readFile: read });
    expect(result.problems).toEqual([]);
    expect(read.mock.calls.map((call) => call[0]).sort()).toEqual([certs.files['ca']!.cert, certs.files['site']!.cert, certs.files['site']!.key].sort());
  });

  it('reports a key that does not belong to the certificate, at keyFile', () => {
    const result = loadTlsMaterial(configWith([{ ...site(), keyFile: certs.files['other']!.key }]) as WeirConfig);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.pointer).toBe('/certificates/0/keyFile');
    expect(result.problems[0]?.message).toContain('does not belong to the certificate');
    expect(result.problems[0]?.message).toContain('/certificates/0/certFile');
  });

  it('reports an expired certificate at certFile, with its date', () => {
    const old = certs.files['old']!;
    const result = loadTlsMaterial(configWith([{ name: 'old', certFile: old.cert, keyFile: old.key }]) as WeirConfig);
    expect(result.problems).toEqual([{ pointer: '/certificates/0/certFile', message: expect.stringContaining('expired on 2020-01-02T00:00:00.000Z') }]);
  });

  it('reports a certificate that is not valid yet, by the injected clock', () => {
    const result = loadTlsMaterial(configWith([site()]) as WeirConfig, { now: () => Date.parse('2001-01-01T00:00:00Z') });
    expect(result.problems).toEqual([{ pointer: '/certificates/0/certFile', message: expect.stringContaining('not valid before') }]);
  });

  it('reports an unreadable file at every field naming it, with the path and the reason', () => {
    const missing = `${certs.dir}/missing.pem`;
    const result = loadTlsMaterial(configWith([{ ...site(), certFile: missing }, { name: 'b', certFile: missing, keyFile: certs.dir }], ['site']) as WeirConfig);
    expect(result.problems).toEqual([
      { pointer: '/certificates/0/certFile', message: `cannot read "${missing}": no such file (ENOENT)` },
      { pointer: '/certificates/1/certFile', message: `cannot read "${missing}": no such file (ENOENT)` },
      { pointer: '/certificates/1/keyFile', message: `cannot read "${certs.dir}": it is a directory (EISDIR)` },
    ]);
  });

  it('reports garbage where a certificate or a key belongs', () => {
    const garbage = certs.write('garbage.pem', 'not a certificate\n');
    const broken = certs.write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const result = loadTlsMaterial(
      configWith([
        { name: 'a', certFile: garbage, keyFile: garbage },
        { name: 'b', certFile: broken, keyFile: certs.files['site']!.cert },
      ]) as WeirConfig,
    );
    expect(result.problems).toEqual([
      { pointer: '/certificates/0/certFile', message: 'holds no PEM certificate ("-----BEGIN CERTIFICATE-----")' },
      { pointer: '/certificates/0/keyFile', message: 'holds no PEM private key ("-----BEGIN PRIVATE KEY-----")' },
      { pointer: '/certificates/1/certFile', message: expect.stringMatching(/^the certificate cannot be parsed: /) },
      { pointer: '/certificates/1/keyFile', message: expect.stringContaining('is this the certificate file?') },
    ]);
  });

  it('words permission problems, over-large files and keys that do not parse', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const readFile = (path: string): string => {
      if (path === '/denied.pem') throw denied;
      if (path === '/huge.pem') return 'x'.repeat(4 * 1024 * 1024 + 1);
      if (path === '/bad.key') return '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
      return fs.readFileSync(path, 'utf8');
    };
    const config = configWith([
      { name: 'a', certFile: '/denied.pem', keyFile: '/huge.pem' },
      { name: 'b', certFile: certs.files['site']!.cert, keyFile: '/bad.key' },
    ]);
    expect(loadTlsMaterial(config as WeirConfig, { readFile }).problems).toEqual([
      { pointer: '/certificates/0/certFile', message: 'cannot read "/denied.pem": permission denied (EACCES): the Weir primary must be able to read it' },
      { pointer: '/certificates/0/keyFile', message: '"/huge.pem" is larger than 4 MiB: not a PEM certificate or key' },
      { pointer: '/certificates/1/keyFile', message: expect.stringMatching(/^the private key cannot be parsed: /) },
    ]);
  });

  it('reports the key file given as certFile', () => {
    const result = loadTlsMaterial(configWith([{ ...site(), certFile: certs.files['site']!.key }]) as WeirConfig);
    expect(result.problems).toEqual([{ pointer: '/certificates/0/certFile', message: expect.stringContaining('is this the key file?') }]);
  });

  it('refuses an encrypted key, saying so', () => {
    const encrypted = certs.write('encrypted.key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    const result = loadTlsMaterial(configWith([{ ...site(), keyFile: encrypted }]) as WeirConfig);
    expect(result.problems).toEqual([{ pointer: '/certificates/0/keyFile', message: expect.stringContaining('the private key is encrypted') }]);
  });

  it('accepts one file holding both the chain and the key', () => {
    const both = certs.write('both.pem', fs.readFileSync(certs.files['site']!.cert, 'utf8') + fs.readFileSync(certs.files['site']!.key, 'utf8'));
    const result = loadTlsMaterial(configWith([{ name: 'site', certFile: both, keyFile: both }]) as WeirConfig);
    expect(result.problems).toEqual([]);
  });

  it('reads a chain leaf first, and refuses one that starts with its CA', () => {
    const leaf = fs.readFileSync(certs.files['site']!.cert, 'utf8');
    const ca = fs.readFileSync(certs.files['ca']!.cert, 'utf8');
    const good = certs.write('fullchain.pem', leaf + ca);
    const reversed = certs.write('reversed.pem', ca + leaf);
    expect(loadTlsMaterial(configWith([{ ...site(), certFile: good }]) as WeirConfig).problems).toEqual([]);
    const result = loadTlsMaterial(configWith([{ ...site(), certFile: reversed }]) as WeirConfig);
    expect(result.problems.map((p) => p.pointer)).toEqual(['/certificates/0/certFile', '/certificates/0/keyFile']);
    expect(result.problems[0]?.message).toContain('starts with a CA certificate');
  });

  it('reports a CA file without a certificate, for mTLS and for upstreams', () => {
    const config = configWith([site()]);
    config.listeners[0]!.tls!.clientAuth = { caFile: certs.files['ca']!.key };
    config.upstreams = [{ name: 'u', endpoints: [{ address: 'a.internal:443' }], tls: { caFile: certs.write('empty.pem', '') } }];
    const result = loadTlsMaterial(config as WeirConfig);
    expect(result.problems.map((p) => [p.pointer, p.message.slice(0, 26)])).toEqual([
      ['/listeners/0/tls/clientAuth/caFile', 'holds no CA certificate ("'],
      ['/upstreams/0/tls/caFile', 'holds no CA certificate ("'],
    ]);
  });

  it('checks an upstream client certificate and key like a listener certificate', () => {
    const config = configWith([]);
    config.listeners[0]!.tls = undefined;
    config.upstreams = [
      { name: 'good', endpoints: [{ address: 'a.internal:443' }], tls: { certFile: certs.files['other']!.cert, keyFile: certs.files['other']!.key } },
      { name: 'bad', endpoints: [{ address: 'a.internal:443' }], tls: { certFile: certs.files['old']!.cert, keyFile: certs.files['site']!.key } },
    ];
    const result = loadTlsMaterial(config as WeirConfig);
    expect(result.problems.map((p) => p.pointer)).toEqual(['/upstreams/1/tls/certFile', '/upstreams/1/tls/keyFile']);
    expect(result.material.files.size).toBe(4);
    expect(result.material.leaves.size).toBe(0);
  });

  it('reports cipher lists and groups that OpenSSL rejects, at the field', () => {
    const config = configWith([site()]);
    config.listeners[0]!.tls!.ciphers = 'TLS_AES_128_GCM_SHA256:NOT-A-CIPHER';
    config.listeners[0]!.tls!.ecdhCurves = 'X25519:P-999';
    const result = loadTlsMaterial(config as WeirConfig);
    expect(result.problems.map((p) => p.pointer)).toEqual(['/listeners/0/tls/ciphers', '/listeners/0/tls/ecdhCurves']);
    expect(result.problems[0]?.message).toContain('OpenSSL rejects this cipher list');
  });

  it('accepts a TLS 1.3-only cipher list and the documented defaults written out', () => {
    const config = configWith([site()]);
    config.listeners[0]!.tls!.ciphers = 'TLS_AES_256_GCM_SHA384';
    config.listeners[0]!.tls!.ecdhCurves = 'X25519:P-256:P-384';
    expect(loadTlsMaterial(config as WeirConfig).problems).toEqual([]);
  });

  it('reports two certificates of one listener answering for one name from their SANs', () => {
    const twin = certs.files['twin']!;
    const config = configWith([site(), { name: 'twin', certFile: twin.cert, keyFile: twin.key }]);
    const result = loadTlsMaterial(config as WeirConfig);
    expect(result.problems).toEqual([{ pointer: '/listeners/0/tls/certificates/1', message: expect.stringContaining('"example.com"') }]);
    // Explicit serverNames that leave the name out resolve it.
    config.certificates![1]!.serverNames = ['www.example.com'];
    expect(loadTlsMaterial(config as WeirConfig).problems).toEqual([]);
    // Two listeners may each serve one of them.
    config.certificates![1]!.serverNames = undefined;
    config.listeners[0]!.tls!.certificates = ['site'];
    config.listeners.push({ name: 'other', port: 0, tls: { certificates: ['twin'] } });
    expect(loadTlsMaterial(config as WeirConfig).problems).toEqual([]);
  });

  it('takes the common name of a certificate without SANs, if it is a DNS name; else no name', () => {
    const cnOnly = makeCertFiles([{ name: 'cn', ca: false }]);
    try {
      // make-certs uses the request name as CN when there are no SANs.
      const result = loadTlsMaterial(configWith([{ name: 'cn', certFile: cnOnly.files['cn']!.cert, keyFile: cnOnly.files['cn']!.key }]) as WeirConfig);
      expect(result.problems).toEqual([]);
      expect(result.material.leaves.get('cn')?.dnsNames).toEqual(['cn']);
      const ca = loadTlsMaterial(configWith([{ name: 'ca', certFile: cnOnly.files['ca']!.cert, keyFile: cnOnly.files['ca']!.key }]) as WeirConfig);
      // "Weir Test CA" is no DNS name: a default-only certificate, and no problem.
      expect(ca.problems).toEqual([]);
      expect(ca.material.leaves.get('ca')?.dnsNames).toEqual([]);
    } finally {
      cnOnly.remove();
    }
  });

  it('reads nothing for a config without TLS files', () => {
    const read = jest.fn((): string => '');
    const result = loadTlsMaterial({ listeners: [{ name: 'l', port: 0 }], routes: [] }, { readFile: read });
    expect(result).toEqual({ material: { files: new Map(), leaves: new Map() }, problems: [] });
    expect(read).not.toHaveBeenCalled();
  });
});
