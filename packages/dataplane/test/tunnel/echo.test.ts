import { randomBytes } from 'node:crypto';
import { createDataplaneMetrics, type DataplaneMetrics } from '@weir/obs';
import { startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { clientClosed, openClient, roundTrip, sample, startEchoUpstream, waitFor, type EchoUpstream } from './ws-helpers';

describe('WebSocket tunnels: echo', () => {
  let echo: EchoUpstream;
  let plane: TestPlane;
  let metrics: DataplaneMetrics;

  beforeEach(async () => {
    echo = await startEchoUpstream();
    metrics = createDataplaneMetrics();
    plane = await startPlane(makeSpec({ upstreams: [upstream('ws', [echo.port])], routes: [forwardRoute('chat', 'ws')] }), { metrics });
  });

  afterEach(async () => {
    await plane.close();
    await echo.close();
  });

  it('carries text and binary messages both ways', async () => {
    expect.assertions(3);
    const ws = await openClient(plane.port);
    expect((await roundTrip(ws, 'hello')).toString()).toBe('hello');
    const binary = randomBytes(1024);
    expect((await roundTrip(ws, binary)).equals(binary)).toBe(true);
    ws.close(1000);
    expect(await clientClosed(ws)).toBe(1000);
  });

  it('carries a large message with backpressure both ways, byte for byte', async () => {
    expect.assertions(1);
    const ws = await openClient(plane.port);
    // 8 MiB each way: far beyond socket buffers, so both pipes pause and resume.
    const big = randomBytes(8 * 1024 * 1024);
    expect((await roundTrip(ws, big)).equals(big)).toBe(true);
    ws.close();
    await clientClosed(ws);
  });

  it('forwards the handshake headers, adds X-Forwarded-* and Via, and relays the 101 headers', async () => {
    expect.assertions(6);
    const ws = await openClient(plane.port, '/room/1?user=a', ['chat', 'other']);
    expect(ws.protocol).toBe('chat');
    const req = echo.requests[0]!;
    expect(req.url).toBe('/room/1?user=a');
    expect(req.headers['sec-websocket-protocol']).toBe('chat,other');
    expect(req.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(req.headers.via).toBe('1.1 weir');
    expect(req.headers.upgrade).toBe('websocket');
    ws.close();
    await clientClosed(ws);
  });

  it('closes the client connection when the upstream closes, and releases the tunnel', async () => {
    expect.assertions(3);
    const ws = await openClient(plane.port);
    await roundTrip(ws, 'hi');
    for (const client of echo.wss.clients) client.close(1001, 'going away');
    // The close frame passes through, then the upstream's TCP close ends the client side.
    expect(await clientClosed(ws)).toBe(1001);
    await waitFor(() => plane.plane.stats().inFlight === 0);
    expect(plane.plane.stats().inFlight).toBe(0);
    expect(await sample(metrics, 'weir_tunnels_total{route="chat",outcome="closed"}')).toBe(1);
  });

  it('cuts the client connection when the upstream connection is reset', async () => {
    expect.assertions(2);
    const ws = await openClient(plane.port);
    await roundTrip(ws, 'hi');
    for (const client of echo.wss.clients) client.terminate();
    expect(await clientClosed(ws)).toBe(1006);
    await waitFor(() => plane.plane.stats().inFlight === 0);
    expect(plane.plane.stats().inFlight).toBe(0);
  });

  it('counts open tunnels, ended tunnels and bytes, and the handshake as a 101 request', async () => {
    expect.assertions(7);
    const ws = await openClient(plane.port);
    await roundTrip(ws, Buffer.alloc(1000, 1));
    expect(await sample(metrics, 'weir_tunnels_open{route="chat"}')).toBe(1);
    // A masked client frame of 1000 bytes is 1008 bytes (2 + 2 length + 4 mask); unmasked back, 1004.
    expect(await sample(metrics, 'weir_tunnel_bytes_total{route="chat",direction="upstream"}')).toBe(1008);
    expect(await sample(metrics, 'weir_tunnel_bytes_total{route="chat",direction="downstream"}')).toBe(1004);
    expect(await sample(metrics, 'weir_requests_total{route="chat",upstream="ws",status="101",arm="stable"}')).toBe(1);
    const upstreamClosed = echo.closed(0);
    ws.close();
    await clientClosed(ws);
    await upstreamClosed;
    await waitFor(async () => (await sample(metrics, 'weir_tunnels_open{route="chat"}')) === 0);
    expect(await sample(metrics, 'weir_tunnels_open{route="chat"}')).toBe(0);
    expect(await sample(metrics, 'weir_tunnels_total{route="chat",outcome="closed"}')).toBe(1);
    expect(plane.plane.stats().inFlight).toBe(0);
  });
});

