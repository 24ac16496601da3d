import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteConfig, WeirConfig } from '@weir/config';
import { WebSocket, WebSocketServer } from 'ws';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { pollSample } from './harness/metrics';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * Issue 8: a WebSocket echo through the built daemon (2 workers) works, survives a config apply
 * through the admin API (the tunnel stays on the version it started with), ends on the route's
 * idle timeout, and is closed when a SIGTERM drain's timeout expires. The echo server runs in
 * this process, built on `ws`.
 */
const writer = testToken('ci', ['read', 'write']);

interface Echo {
  readonly server: Server;
  readonly address: string;
}

async function startEcho(): Promise<Echo> {
  const server = createServer((_req, res) => res.end('plain http'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function configFor(echo: Echo, routes: RouteConfig[], drainTimeoutMs = 5000): WeirConfig {
  return { ...proxyConfig({ routes, upstreams: [upstream('echo', echo.address)], drainTimeoutMs }), admin: { tokens: [writer.entry] } };
}

async function openClient(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
  ws.on('error', () => undefined);
  await once(ws, 'open');
  return ws;
}

async function roundTrip(ws: WebSocket, text: string): Promise<string> {
  const reply = once(ws, 'message');
  ws.send(text);
  const [data] = (await reply) as [Buffer];
  return data.toString();
}

/** Resolves with the close code once the connection has closed (1006: cut without a close frame). */
async function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return 1006;
  const [code] = (await once(ws, 'close')) as [number];
  return code;
}

describe('WebSocket through the daemon', () => {
  const daemons = daemonPerTest();
  let echo: Echo;

  beforeAll(async () => {
    echo = await startEcho();
  });

  afterAll(async () => {
    echo.server.closeAllConnections();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  });

  test('echoes through Weir and survives a config apply through the admin API', async () => {
    expect.assertions(6);
    const daemon = await daemons.start(configFor(echo, [{ name: 'chat', upstream: 'echo' }]));
    const ws = await openClient(daemon.port);
    expect(await roundTrip(ws, 'before the apply')).toBe('before the apply');

    const applied = await adminCall(daemon, 'POST', '/admin/config', {
      token: writer.token,
      body: configFor(echo, [
        { name: 'hello', match: { path: { exact: '/hello' } }, directResponse: { status: 200, body: 'new version' } },
        { name: 'chat', upstream: 'echo' },
      ]),
    });
    expect(applied.status).toBe(200);
    // Every worker serves the new version now...
    expect((await send(daemon.port, { path: '/hello' })).body.toString()).toBe('new version');
    // ...and the tunnel opened before it still carries messages.
    expect(await roundTrip(ws, 'after the apply')).toBe('after the apply');
    const fresh = await openClient(daemon.port);
    expect(await roundTrip(fresh, 'new tunnel')).toBe('new tunnel');
    fresh.close(1000);
    ws.close(1000);
    expect(await closed(ws)).toBe(1000);
    await closed(fresh);
  }, 60_000);

  test('ends a silent tunnel on the route idle timeout, and counts it', async () => {
    expect.assertions(4);
    const daemon = await daemons.start(configFor(echo, [{ name: 'chat', upstream: 'echo', upgrades: { idleTimeoutMs: 500 } }]));
    const ws = await openClient(daemon.port);
    expect(await roundTrip(ws, 'ping')).toBe('ping');
    const quietSince = performance.now();
    expect(await closed(ws)).toBe(1006);
    expect(performance.now() - quietSince).toBeGreaterThanOrEqual(400);
    // The client sees the close before the worker's counter is certain to be scraped: poll.
    const series = 'weir_tunnels_total{route="chat",outcome="idle-timeout"}';
    expect(await pollSample(daemon, writer.token, series, (v) => v === 1)).toBe(1);
  }, 60_000);

  test('SIGTERM closes an open tunnel when the drain timeout expires, and the daemon exits 0', async () => {
    expect.assertions(3);
    const daemon = await daemons.start(configFor(echo, [{ name: 'chat', upstream: 'echo' }], 1000));
    const ws = await openClient(daemon.port);
    expect(await roundTrip(ws, 'ping')).toBe('ping');
    const signalled = performance.now();
    daemon.signal('SIGTERM');
    expect(await closed(ws)).toBe(1006);
    const exit = await daemon.waitForExit(20_000);
    expect({ code: exit.code, closedAfterTimeout: performance.now() - signalled >= 900 }).toEqual({ code: 0, closedAfterTimeout: true });
  }, 60_000);
});
