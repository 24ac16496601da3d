/**
 * Active health checks of https upstreams (issue 8): the primary probes over TLS with the
 * upstream's CA, server name, verification and client certificate, like the workers' pools.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { EndpointHealth } from '@weir/cluster/primary';
import type { WeirConfig } from '@weir/config';
import { HealthChecker, healthCheckKey, httpProbe, realHealthTimers, type HealthCheckEvent } from '@weir/controlplane';
import { buildSpec, type Spec, type UpstreamTlsSpec } from '@weir/runtime';
import { makeCertificates, type CertificateFiles, type CertificateSet } from '../../../../tools/certs/make-certs';
import { CapturedLog } from '../support/captured-log';
import { ManualTimers } from '../support/manual-timers';


let dir: string;
let certs: CertificateSet<'local' | 'api' | 'client'>;
let caPem: string;
let servers: Server[] = [];
/** SNI of each check the servers saw (null: none). */
let snis: (string | null)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weir-health-tls-'));
  certs = makeCertificates(dir, [
    { name: 'local', ips: ['127.0.0.1'] },
    { name: 'api', names: ['api.internal'] },
    { name: 'client', names: ['weir-health'] },
  ]);
  caPem = readFileSync(certs.ca.cert, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  snis = [];
});

/** An https server answering /healthz with 200; with `clientCa`, client certificates are required. */
async function serve(cert: CertificateFiles, clientCa?: string): Promise<number> {
  const server = createServer(
    {
      cert: readFileSync(cert.cert),
      key: readFileSync(cert.key),
      ...(clientCa === undefined ? {} : { ca: readFileSync(clientCa), requestCert: true, rejectUnauthorized: true }),
    },
    (req, res) => {
      const sni = (req.socket as TLSSocket).servername;
      snis.push(typeof sni === 'string' ? sni : null);
      res.writeHead(req.url === '/healthz' ? 200 : 404).end();
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function tls(overrides: Partial<UpstreamTlsSpec> = {}): UpstreamTlsSpec {
  return { caPem, serverName: null, verify: true, certPem: null, keyPem: null, minVersion: 'TLSv1.2', ...overrides };
}

function probe(port: number, settings: UpstreamTlsSpec | null) {
  return httpProbe({ host: '127.0.0.1', port, hostHeader: `public.example:${port}`, path: '/healthz', timeoutMs: 5_000, tls: settings }, realHealthTimers);
}

describe('httpProbe over TLS', () => {
  it('passes with the upstream CA, verifying an IP endpoint without SNI (never the Host header)', async () => {
    expect.assertions(2);
    const port = await serve(certs.local);
    expect(await probe(port, tls())).toEqual({ status: 200, error: null });
    expect(snis).toEqual([null]);
  });

  it('fails with the TLS error when the certificate is refused', async () => {
    expect.assertions(3);
    const port = await serve(certs.local);
    expect(await probe(port, tls({ caPem: null }))).toEqual({ status: 0, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(await probe(port, tls({ caPem: null, verify: false }))).toEqual({ status: 200, error: null });
    // Plain HTTP to a TLS port gets an answer of sorts, never a pass for a check expecting 200.
    expect((await probe(port, null)).status).not.toBe(200);
  });

  it('sends serverName as SNI and verifies it', async () => {
    expect.assertions(3);
    const port = await serve(certs.api);
    expect(await probe(port, tls({ serverName: 'api.internal' }))).toEqual({ status: 200, error: null });
    expect(snis).toEqual(['api.internal']);
    expect(await probe(port, tls({ serverName: 'other.internal' }))).toEqual({ status: 0, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('presents the client certificate', async () => {
    expect.assertions(2);
    const port = await serve(certs.local, certs.ca.cert);
    const client = tls({ certPem: readFileSync(certs.client.cert, 'utf8'), keyPem: readFileSync(certs.client.key, 'utf8') });
    expect(await probe(port, client)).toEqual({ status: 200, error: null });
    expect((await probe(port, tls())).status).toBe(0);
  });
});

describe('HealthChecker with an https upstream', () => {
  function spec(address: string, settings: UpstreamTlsSpec): Spec {
    const config: WeirConfig = {
      listeners: [{ name: 'l', port: 0 }],
      routes: [{ name: 'r', upstream: 'api' }],
      upstreams: [{ name: 'api', endpoints: [{ address }], healthCheck: { intervalMs: 1000, initialState: 'unhealthy', healthyThreshold: 1 } }],
    };
    const built = buildSpec(config);
    return { ...built, upstreams: built.upstreams.map((u) => ({ ...u, tls: settings })) };
  }

  it('checks over TLS, and keys health by the TLS settings', async () => {
    expect.assertions(4);
    const port = await serve(certs.local);
    const timers = new ManualTimers();
    const published: EndpointHealth[][] = [];
    let done: (e: HealthCheckEvent) => void = () => undefined;
    const checker = new HealthChecker({
      publisher: { publishHealth: (updates) => published.push(updates.slice()) },
      logger: new CapturedLog().logger,
      timers,
      random: () => 0,
      onCheck: (e) => done(e),
    });
    try {
      const good = spec(`127.0.0.1:${port}`, tls());
      checker.reconcile(good);
      const event = new Promise<HealthCheckEvent>((resolve) => (done = resolve));
      timers.advance(0);
      expect((await event).result).toEqual({ status: 200, error: null });
      expect(checker.table()).toEqual([{ upstream: 'api', address: `127.0.0.1:${port}`, healthy: true }]);
      const u = good.upstreams[0]!;
      const other = spec(`127.0.0.1:${port}`, tls({ caPem: null })).upstreams[0]!;
      expect(healthCheckKey(u, u.endpoints[0]!)).not.toBe(healthCheckKey(other, other.endpoints[0]!));
      expect(healthCheckKey(u, u.endpoints[0]!)).toMatch(/\|tls:[0-9a-f]{32}$/);
    } finally {
      checker.close();
    }
  });
});
