import type { TlsMaterial, WeirConfig } from '@weir/config';
import { buildSpec, configDefaults } from '@weir/runtime';
import { defaultListenerEdgeFields, defaultRouteEdgeFields, minimalConfig } from '../fixtures';

/**
 * buildSpec's edge fields (issue 8): defaults filled, PEM text carried from the material (the
 * runtime package never reads files), server names from the leaf when the config has none, and
 * the hash following the files' content.
 */
const NOT_AFTER = Date.parse('2030-01-01T00:00:00Z');

function material(overrides: Record<string, string> = {}): TlsMaterial {
  const files = new Map<string, string>([
    ['/certs/site.pem', 'SITE CERT PEM'],
    ['/certs/site.key', 'SITE KEY PEM'],
    ['/certs/api.pem', 'API CERT PEM'],
    ['/certs/api.key', 'API KEY PEM'],
    ['/certs/clients.pem', 'CLIENT CA PEM'],
    ['/certs/backend-ca.pem', 'BACKEND CA PEM'],
    ['/certs/client.pem', 'CLIENT CERT PEM'],
    ['/certs/client.key', 'CLIENT KEY PEM'],
  ]);
  for (const [path, text] of Object.entries(overrides)) files.set(path, text);
  return {
    files,
    leaves: new Map([
      ['site', { dnsNames: ['example.com', '*.example.com'], notAfter: NOT_AFTER }],
      ['api', { dnsNames: ['api.example.net'], notAfter: NOT_AFTER + 1 }],
    ]),
  };
}

function edgeConfig(): WeirConfig {
  const base = minimalConfig();
  return {
    ...base,
    certificates: [
      { name: 'site', certFile: '/certs/site.pem', keyFile: '/certs/site.key' },
      { name: 'api', certFile: '/certs/api.pem', keyFile: '/certs/api.key', serverNames: ['API.example.com', 'api.EXAMPLE.com', '*.Api.example.com'] },
    ],
    listeners: [
      { name: 'http', port: 80, httpsRedirect: {} },
      { name: 'https', port: 443, tls: { certificates: ['site', 'api'] } },
      {
        name: 'mtls',
        port: 8443,
        tls: {
          certificates: ['api'],
          defaultCertificate: 'api',
          minVersion: 'TLSv1.3',
          maxVersion: 'TLSv1.3',
          ciphers: 'TLS_AES_256_GCM_SHA384',
          ecdhCurves: 'X25519',
          alpn: ['http/1.1'],
          clientAuth: { caFile: '/certs/clients.pem' },
          handshakeTimeoutMs: 2_000,
        },
      },
      { name: 'grpc', port: 8081, protocol: 'h2c', http2: { maxConcurrentStreams: 1000, initialWindowBytes: 1 << 20, maxResets: 50, resetWindowMs: 1_000 } },
      { name: 'moved', port: 8082, httpsRedirect: { port: 8443, status: 301 } },
    ],
    routes: [
      { name: 'api', upstream: 'backend' },
      { name: 'ws', upstream: 'backend', upgrades: { websocket: false, idleTimeoutMs: 1_000, maxLifetimeMs: 60_000 }, httpsRedirect: { status: 307 } },
    ],
    upstreams: [
      { name: 'backend', endpoints: [{ address: '127.0.0.1:9000' }] },
      {
        name: 'secure',
        endpoints: [{ address: '10.0.0.1:443' }],
        tls: { caFile: '/certs/backend-ca.pem', serverName: 'Backend.Internal', verify: true, certFile: '/certs/client.pem', keyFile: '/certs/client.key', minVersion: 'TLSv1.3' },
      },
      { name: 'public', endpoints: [{ address: 'api.example.org:443' }], tls: {} },
    ],
  };
}

describe('buildSpec edge fields', () => {
  const spec = buildSpec(edgeConfig(), { tls: material() });

  it('carries each certificate with its PEM text and server names (config first, else the leaf\'s)', () => {
    expect(spec.certificates).toEqual([
      { name: 'site', certPem: 'SITE CERT PEM', keyPem: 'SITE KEY PEM', serverNames: ['example.com', '*.example.com'], notAfter: NOT_AFTER },
      { name: 'api', certPem: 'API CERT PEM', keyPem: 'API KEY PEM', serverNames: ['api.example.com', '*.api.example.com'], notAfter: NOT_AFTER + 1 },
    ]);
  });

  it('fills TLS listener defaults, protocol "tls"', () => {
    const t = configDefaults.listenerTls;
    expect(spec.listeners[1]).toMatchObject({
      protocol: 'tls',
      httpsRedirect: null,
      http2: defaultListenerEdgeFields.http2,
      tls: {
        certificates: ['site', 'api'],
        defaultCertificate: 'site',
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        ciphers: t.ciphers,
        ecdhCurves: 'X25519:P-256:P-384',
        alpn: ['h2', 'http/1.1'],
        clientAuth: null,
        handshakeTimeoutMs: 10_000,
      },
    });
  });

  it('copies explicit TLS settings and the client CA\'s PEM text', () => {
    expect(spec.listeners[2]?.tls).toEqual({
      certificates: ['api'],
      defaultCertificate: 'api',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384',
      ecdhCurves: 'X25519',
      alpn: ['http/1.1'],
      clientAuth: { caPem: 'CLIENT CA PEM', required: true },
      handshakeTimeoutMs: 2_000,
    });
  });

  it('builds plain listeners: h2c with its limits, redirects with their defaults', () => {
    expect(spec.listeners[0]).toMatchObject({ ...defaultListenerEdgeFields, httpsRedirect: { port: 443, status: 308 } });
    expect(spec.listeners[3]).toMatchObject({
      protocol: 'h2c',
      tls: null,
      http2: { maxConcurrentStreams: 1000, initialWindowBytes: 1 << 20, maxResets: 50, resetWindowMs: 1_000 },
    });
    expect(spec.listeners[4]?.httpsRedirect).toEqual({ port: 8443, status: 301 });
  });

  it('fills route upgrades and redirects', () => {
    expect(spec.routes[0]).toMatchObject(defaultRouteEdgeFields);
    expect(spec.routes[1]).toMatchObject({ upgrades: { websocket: false, idleTimeoutMs: 1_000, maxLifetimeMs: 60_000 }, httpsRedirect: { port: 443, status: 307 } });
  });

  it('builds upstream TLS with PEM text, a lower-cased server name and defaults', () => {
    expect(spec.upstreams.map((u) => u.tls)).toEqual([
      null,
      { caPem: 'BACKEND CA PEM', serverName: 'backend.internal', verify: true, certPem: 'CLIENT CERT PEM', keyPem: 'CLIENT KEY PEM', minVersion: 'TLSv1.3' },
      { caPem: null, serverName: null, verify: true, certPem: null, keyPem: null, minVersion: 'TLSv1.2' },
    ]);
  });

  it('changes the hash, hence the version, when a file\'s content changes at the same path', () => {
    const renewed = buildSpec(edgeConfig(), { tls: material({ '/certs/site.pem': 'RENEWED SITE CERT PEM' }) });
    expect(renewed.hash).not.toBe(spec.hash);
    expect(renewed.version).not.toBe(spec.version);
    const again = buildSpec(edgeConfig(), { tls: material() });
    expect(again.hash).toBe(spec.hash);
    const newClientCa = buildSpec(edgeConfig(), { tls: material({ '/certs/clients.pem': 'OTHER CA' }) });
    expect(newClientCa.hash).not.toBe(spec.hash);
  });

  it('throws with the pointer of a file the material lacks', () => {
    const partial = material();
    (partial.files as Map<string, string>).delete('/certs/site.key');
    expect(() => buildSpec(edgeConfig(), { tls: partial })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/keyFile' }));
    expect(() => buildSpec(edgeConfig())).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/certFile' }));
  });

  it('creates every edge object with sorted keys, deep-frozen', () => {
    const unsorted: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (value === null || typeof value !== 'object') return;
      expect(Object.isFrozen(value)).toBe(true);
      if (!Array.isArray(value)) {
        const keys = Object.keys(value);
        if (keys.join() !== [...keys].sort().join()) unsorted.push(at);
      }
      for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key}`);
    };
    walk(spec, '');
    expect(unsorted).toEqual([]);
  });

  it('builds a config without TLS settings without material', () => {
    const plain = buildSpec(minimalConfig());
    expect(plain.certificates).toEqual([]);
    expect(plain.listeners[0]).toMatchObject(defaultListenerEdgeFields);
  });
});
