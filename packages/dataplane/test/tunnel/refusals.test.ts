import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { closedPort, silentLogger, startUpstream, type TestUpstream } from '../helpers/servers';
import { startPlane, type TestPlane } from '../helpers/plane';
import { DataPlane } from '../../src/index';
import { directRoute, forwardRoute, makeSpec, match, upstream } from '../helpers/spec';
import { rawExchange, startEchoUpstream, upgradeRequest, type EchoUpstream } from './ws-helpers';

/** An upstream that answers upgrade requests without switching protocols. */
async function startRefusingUpstream(): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain', 'x-reason': 'no-token' });
    res.end(`forbidden ${req.url}`);
  });
  // Without an 'upgrade' listener Node serves upgrade requests as ordinary ones.
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, server };
}

describe('WebSocket tunnels: refused upgrades', () => {
  let echo: EchoUpstream;
  let refusing: { port: number; server: Server };
  let plainHttp: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    echo = await startEchoUpstream();
    refusing = await startRefusingUpstream();
    plainHttp = await startUpstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ upgrade: req.headers.upgrade ?? null, connection: req.headers.connection ?? null, settings: req.headers['http2-settings'] ?? null }));
    });
    const down = await closedPort();
    plane = await startPlane(
      makeSpec({
        upstreams: [upstream('ws', [echo.port]), upstream('refusing', [refusing.port]), upstream('down', [down]), upstream('http', [plainHttp.port])],
        routes: [
          forwardRoute('plain', 'ws', {
            match: match({ path: { kind: 'prefix', value: '/plain' } }),
            upgrades: { websocket: false, idleTimeoutMs: 300_000, maxLifetimeMs: 0 },
          }),
          directRoute('maintenance', 503, 'down for maintenance\n', { match: match({ path: { kind: 'prefix', value: '/maintenance' } }) }),
          forwardRoute('refusing', 'refusing', { match: match({ path: { kind: 'prefix', value: '/refusing' } }) }),
          forwardRoute('down', 'down', { match: match({ path: { kind: 'prefix', value: '/down' } }) }),
          forwardRoute('secure', 'ws', {
            match: match({ path: { kind: 'prefix', value: '/secure' } }),
            httpsRedirect: { port: 8443, status: 308 },
          }),
          forwardRoute('chat', 'ws', { match: match({ path: { kind: 'prefix', value: '/chat' } }) }),
          forwardRoute('http', 'http', { match: match({ path: { kind: 'prefix', value: '/http' } }) }),
        ],
      }),
    );
  });

  afterAll(async () => {
    await plane.close();
    await echo.close();
    await plainHttp.close();
    refusing.server.closeAllConnections();
    refusing.server.close();
  });

  it('answers 404 WEIR_ERR_NO_ROUTE when no route matches', async () => {
    expect.assertions(3);
    const res = await rawExchange(plane.port, upgradeRequest('/nowhere'));
    expect(res.status).toBe(404);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_NO_ROUTE');
    expect(res.headers['connection']).toBe('close');
  });

  it('answers 403 WEIR_ERR_UPGRADE_REFUSED on a route with upgrades.websocket false', async () => {
    expect.assertions(3);
    const res = await rawExchange(plane.port, upgradeRequest('/plain'));
    expect(res.status).toBe(403);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPGRADE_REFUSED');
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'WEIR_ERR_UPGRADE_REFUSED', status: 403, message: expect.any(String) as string },
    });
  });

  it('serves an upgrade to another protocol (h2c) as plain HTTP/1.1, then closes', async () => {
    expect.assertions(3);
    const res = await rawExchange(
      plane.port,
      'GET /http HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n',
    );
    expect(res.status).toBe(200);
    expect(res.headers['connection']).toBe('close');
    // Upgrade, Connection and the fields Connection names are hop-by-hop: the upstream sees none.
    expect(JSON.parse(res.body.slice(res.body.indexOf('{'), res.body.lastIndexOf('}') + 1))).toEqual({ upgrade: null, connection: 'keep-alive', settings: null });
  });

  it('answers 403 WEIR_ERR_UPGRADE_REFUSED for an upgrade to another protocol with a body', async () => {
    expect.assertions(2);
    const res = await rawExchange(plane.port, upgradeRequest('/http', 'TLS/1.0', 'Content-Length: 2\r\n') + 'hi');
    expect(res.status).toBe(403);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPGRADE_REFUSED');
  });

  it("answers with a direct route's response, then closes", async () => {
    expect.assertions(3);
    const res = await rawExchange(plane.port, upgradeRequest('/maintenance'));
    expect(res.status).toBe(503);
    expect(res.headers['connection']).toBe('close');
    expect(res.body).toBe('down for maintenance\n');
  });

  it("relays an upstream's refusal (status, headers, body), then closes", async () => {
    expect.assertions(5);
    const res = await rawExchange(plane.port, upgradeRequest('/refusing/x'));
    expect(res.status).toBe(403);
    expect(res.headers['x-reason']).toBe('no-token');
    expect(res.headers['connection']).toBe('close');
    expect(res.headers['x-weir-error']).toBeUndefined();
    expect(res.body).toBe('forbidden /refusing/x');
  });

  it('redirects to HTTPS on a route with httpsRedirect, as for ordinary requests', async () => {
    expect.assertions(3);
    const res = await rawExchange(plane.port, upgradeRequest('/secure/room?x=1'));
    expect(res.status).toBe(308);
    expect(res.headers['location']).toBe('https://example.com:8443/secure/room?x=1');
    expect(res.headers['connection']).toBe('close');
  });

  it('answers 502 WEIR_ERR_UPSTREAM_CONNECT when the upstream is down', async () => {
    expect.assertions(2);
    const res = await rawExchange(plane.port, upgradeRequest('/down'));
    expect(res.status).toBe(502);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPSTREAM_CONNECT');
  });

  it('refuses an upgrade request with a body (400)', async () => {
    expect.assertions(2);
    const res = await rawExchange(plane.port, upgradeRequest('/chat', 'websocket', 'Content-Length: 5\r\n') + 'hello');
    expect(res.status).toBe(400);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_BAD_REQUEST');
  });

  it('releases every runtime reference it took', () => {
    expect.assertions(1);
    expect(plane.plane.stats().inFlight).toBe(0);
  });
});

describe('WebSocket tunnels: before the first commit', () => {
  it('answers 503 WEIR_ERR_NOT_READY on a prepared but uncommitted listener', async () => {
    expect.assertions(2);
    const echo = await startEchoUpstream();
    const plane = new DataPlane({ logger: silentLogger() });
    try {
      const prepared = await plane.prepare(makeSpec({ upstreams: [upstream('ws', [echo.port])], routes: [forwardRoute('chat', 'ws')] }));
      const res = await rawExchange(prepared.listeners[0]!.port, upgradeRequest('/chat'));
      expect(res.status).toBe(503);
      expect(res.headers['x-weir-error']).toBe('WEIR_ERR_NOT_READY');
    } finally {
      await plane.drain(100);
      await echo.close();
    }
  });
});
