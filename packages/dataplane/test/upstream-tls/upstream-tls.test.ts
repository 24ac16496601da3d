/**
 * TLS to upstreams (issue 8): real node:https upstreams with certificates from a private CA
 * (tools/certs/make-certs.js), driven through a DataPlane on loopback port 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpstreamTlsSpec } from '@weir/runtime';
import { makeCertificates, type CertificateFiles, type CertificateSet } from '../../../../tools/certs/make-certs';
import { errorCode, send, startPlane, type TestPlane } from '../helpers/plane';
import { startUpstream } from '../helpers/servers';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { startHttpsUpstream, type HttpsUpstream } from './https-upstream';


let dir: string;
let certs: CertificateSet<'local' | 'api' | 'expired' | 'self' | 'client'>;
let caPem: string;
let plane: TestPlane | null = null;
let servers: HttpsUpstream[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weir-upstream-tls-'));
  certs = makeCertificates(dir, [
    { name: 'local', names: ['localhost'], ips: ['127.0.0.1'] },
    { name: 'api', names: ['api.internal'] },
    { name: 'expired', ips: ['127.0.0.1'], expired: true },
    { name: 'self', ips: ['127.0.0.1'], ca: false },
    { name: 'client', names: ['weir-client'] },
  ]);
  caPem = readFileSync(certs.ca.cert, 'utf8');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await plane?.close();
  plane = null;
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** TLS settings: verify against the test CA, no SNI override, no client certificate. */
function tls(overrides: Partial<UpstreamTlsSpec> = {}): UpstreamTlsSpec {
  return { caPem, serverName: null, verify: true, certPem: null, keyPem: null, minVersion: 'TLSv1.2', ...overrides };
}

async function serve(cert: CertificateFiles, clientCa?: string): Promise<HttpsUpstream> {
  const server = await startHttpsUpstream(cert, clientCa);
  servers.push(server);
  return server;
}

/** A plane forwarding everything to `port` over TLS with `settings`. */
async function proxyTo(port: number, settings: UpstreamTlsSpec): Promise<number> {
  plane = await startPlane(makeSpec({ upstreams: [upstream('secure', [port], { tls: settings })], routes: [forwardRoute('all', 'secure')] }));
  return plane.port;
}

describe('TLS to upstreams', () => {
  it('proxies to an https endpoint whose certificate the configured CA signed, verifying its IP', async () => {
    expect.assertions(4);
    const up = await serve(certs.local);
    const port = await proxyTo(up.port, tls());
    const res = await send(port, { headers: { host: 'public.example' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('tls ok');
    // An IP endpoint gets no SNI (RFC 6066), and never the client's Host.
    expect(up.seen[0]?.servername).toBeNull();
    expect(up.seen[0]?.host).toBe('public.example');
  });

  it.each([
    ['no CA given (public roots only)', 'local', { caPem: null }],
    ['an expired certificate', 'expired', {}],
    ['a self-signed certificate', 'self', {}],
  ] as const)('refuses %s with 502 WEIR_ERR_UPSTREAM_TLS', async (_label, cert, overrides) => {
    expect.assertions(3);
    const up = await serve(certs[cert]);
    const port = await proxyTo(up.port, tls(overrides));
    const res = await send(port);
    expect(res.status).toBe(502);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_TLS');
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPSTREAM_TLS');
  });

  it('refuses an upstream that speaks plain HTTP on its TLS port with WEIR_ERR_UPSTREAM_TLS', async () => {
    expect.assertions(2);
    const plain = await startUpstream((_req, res) => res.end('plain'));
    try {
      const port = await proxyTo(plain.port, tls());
      const res = await send(port);
      expect(res.status).toBe(502);
      expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_TLS');
    } finally {
      await plain.close();
    }
  });

  it('accepts any certificate with verify: false', async () => {
    expect.assertions(2);
    const up = await serve(certs.self);
    const port = await proxyTo(up.port, tls({ caPem: null, verify: false }));
    const res = await send(port);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('tls ok');
  });

  it('sends serverName as SNI and verifies the certificate against it', async () => {
    expect.assertions(5);
    const up = await serve(certs.api);
    // Without serverName the IP endpoint is verified against the IP: the certificate has none.
    let port = await proxyTo(up.port, tls());
    expect(errorCode(await send(port))).toBe('WEIR_ERR_UPSTREAM_TLS');
    await plane!.close();
    port = await proxyTo(up.port, tls({ serverName: 'api.internal' }));
    const res = await send(port, { headers: { host: 'public.example' } });
    expect(res.status).toBe(200);
    expect(up.seen[0]?.servername).toBe('api.internal');
    await plane!.close();
    port = await proxyTo(up.port, tls({ serverName: 'other.internal' }));
    const wrong = await send(port);
    expect(wrong.status).toBe(502);
    expect(errorCode(wrong)).toBe('WEIR_ERR_UPSTREAM_TLS');
  });

  it('presents the client certificate an upstream requires, and fails without one', async () => {
    expect.assertions(4);
    const up = await serve(certs.local, certs.ca.cert);
    const clientTls = tls({ certPem: readFileSync(certs.client.cert, 'utf8'), keyPem: readFileSync(certs.client.key, 'utf8') });
    let port = await proxyTo(up.port, clientTls);
    const res = await send(port);
    expect(res.status).toBe(200);
    expect(up.seen[0]?.clientCn).toBe('weir-client');
    await plane!.close();
    port = await proxyTo(up.port, tls());
    const refused = await send(port);
    expect(refused.status).toBe(502);
    expect(errorCode(refused)).toBe('WEIR_ERR_UPSTREAM_TLS');
  });

  it('keeps one connection for requests with different Host headers', async () => {
    expect.assertions(3);
    const up = await serve(certs.api);
    const port = await proxyTo(up.port, tls({ serverName: 'api.internal' }));
    expect((await send(port, { headers: { host: 'one.example' } })).status).toBe(200);
    expect((await send(port, { headers: { host: 'two.example' } })).status).toBe(200);
    // undici would take each Host as the SNI and reconnect when it changes ("servername changed").
    expect(up.seen.map((s) => s.remotePort)).toEqual([up.seen[0]!.remotePort, up.seen[0]!.remotePort]);
  });
});

describe('TLS settings and pool identity across reloads', () => {
  it('keeps the pool (and its connection) when TLS settings are unchanged, and opens a new one when the CA changes', async () => {
    expect.assertions(4);
    const up = await serve(certs.local);
    const other = makeCertificates(join(dir, 'other-ca'), []);
    const routes = [forwardRoute('all', 'secure')];
    plane = await startPlane(makeSpec({ upstreams: [upstream('secure', [up.port], { tls: tls() })], routes }));
    expect((await send(plane.port)).status).toBe(200);

    // An unrelated change (another upstream) with equal TLS settings in new objects.
    await plane.plane.prepare(makeSpec({ upstreams: [upstream('secure', [up.port], { tls: tls() }), upstream('spare', [1])], routes }));
    plane.plane.commit();
    expect((await send(plane.port)).status).toBe(200);

    // A CA bundle with one more CA: new pool identity, so a new connection.
    const bundle = `${caPem}${readFileSync(other.ca.cert, 'utf8')}`;
    await plane.plane.prepare(makeSpec({ upstreams: [upstream('secure', [up.port], { tls: tls({ caPem: bundle }) })], routes }));
    plane.plane.commit();
    expect((await send(plane.port)).status).toBe(200);
    const ports = up.seen.map((s) => s.remotePort);
    expect([ports[1] === ports[0], ports[2] === ports[0]]).toEqual([true, false]);
  });
});
