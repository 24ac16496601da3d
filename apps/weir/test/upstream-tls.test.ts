import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpstreamConfig, WeirConfig } from '@weir/config';
import { makeCertificates, type CertificateFiles } from '../../../tools/certs/make-certs';
import { send } from './harness/client';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * Issue 8: TLS to upstreams through the built daemon. An https upstream whose certificate a
 * private CA signed is proxied when the upstream names that CA; the same upstream without the
 * CA, and a self-signed upstream, are refused with 502 WEIR_ERR_UPSTREAM_TLS.
 */
describe('TLS to upstreams through the daemon', () => {
  const daemons = daemonPerTest();
  let dir: string;
  let files: Record<string, CertificateFiles> & { ca: CertificateFiles };
  let signed: Server;
  let selfSigned: Server;

  async function startHttps(cert: CertificateFiles, name: string): Promise<Server> {
    const server = createServer({ cert: readFileSync(cert.cert), key: readFileSync(cert.key) }, (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${name} saw ${req.headers['x-forwarded-proto']} ${req.url}`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  }

  function portOf(server: Server): number {
    return (server.address() as AddressInfo).port;
  }

  function configWith(upstream: UpstreamConfig): WeirConfig {
    return proxyConfig({ routes: [{ name: 'api', upstream: upstream.name }], upstreams: [upstream] });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weir-upstream-tls-'));
    files = makeCertificates(dir, [
      { name: 'api', names: ['api.internal'], ips: ['127.0.0.1'] },
      { name: 'rogue', names: ['api.internal'], ips: ['127.0.0.1'], ca: false },
    ]);
    signed = await startHttps(files['api']!, 'signed');
    selfSigned = await startHttps(files['rogue']!, 'self-signed');
  });

  afterAll(async () => {
    for (const server of [signed, selfSigned]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('proxies to an https upstream signed by the private CA the config names', async () => {
    const daemon = await daemons.start(
      configWith({ name: 'api', endpoints: [{ address: `127.0.0.1:${portOf(signed)}` }], tls: { caFile: files.ca.cert, serverName: 'api.internal' } }),
    );
    const res = await send(daemon.port, { path: '/v1/items' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('signed saw http /v1/items');
  });

  test('refuses an upstream whose certificate no trusted CA signed, with 502 WEIR_ERR_UPSTREAM_TLS', async () => {
    const daemon = await daemons.start(
      configWith({ name: 'api', endpoints: [{ address: `127.0.0.1:${portOf(selfSigned)}` }], tls: { caFile: files.ca.cert, serverName: 'api.internal' } }),
    );
    const res = await send(daemon.port, { path: '/v1/items' });
    expect(res.status).toBe(502);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPSTREAM_TLS');
  });

  test('refuses a CA-signed upstream when the config does not name the private CA (public roots only)', async () => {
    const daemon = await daemons.start(
      configWith({ name: 'api', endpoints: [{ address: `127.0.0.1:${portOf(signed)}` }], tls: { serverName: 'api.internal' } }),
    );
    const res = await send(daemon.port, { path: '/v1/items' });
    expect(res.status).toBe(502);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPSTREAM_TLS');
  });
});
