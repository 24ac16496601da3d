import { createDataplaneMetrics, type DataplaneMetrics } from '@weir/obs';
import { startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { clientClosed, openClient, roundTrip, sample, startEchoUpstream, waitFor, type EchoUpstream } from './ws-helpers';

describe('WebSocket tunnels: timeouts', () => {
  let echo: EchoUpstream;
  let plane: TestPlane;
  let metrics: DataplaneMetrics;

  async function start(idleTimeoutMs: number, maxLifetimeMs: number): Promise<void> {
    plane = await startPlane(
      makeSpec({
        upstreams: [upstream('ws', [echo.port])],
        routes: [forwardRoute('chat', 'ws', { upgrades: { websocket: true, idleTimeoutMs, maxLifetimeMs } })],
      }),
      { metrics },
    );
  }

  beforeEach(async () => {
    echo = await startEchoUpstream();
    metrics = createDataplaneMetrics();
  });

  afterEach(async () => {
    await plane.close();
    await echo.close();
  });

  it('closes both sides when no byte moved either way for upgrades.idleTimeoutMs', async () => {
    expect.assertions(4);
    await start(200, 0);
    const ws = await openClient(plane.port);
    expect((await roundTrip(ws, 'ping')).toString()).toBe('ping');
    const started = performance.now();
    const upstreamClosed = echo.closed(0);
    // No close frame: the proxy cuts the connection (1006 on the client side).
    expect(await clientClosed(ws)).toBe(1006);
    await upstreamClosed;
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    // The proxy finishes the tunnel on its own sockets' 'close', a moment after the peers saw theirs.
    await waitFor(async () => (await sample(metrics, 'weir_tunnels_open{route="chat"}')) === 0);
    expect(await sample(metrics, 'weir_tunnels_total{route="chat",outcome="idle-timeout"}')).toBe(1);
  });

  it('closes a tunnel after upgrades.maxLifetimeMs whatever its traffic', async () => {
    expect.assertions(3);
    await start(60_000, 300);
    const ws = await openClient(plane.port);
    const upstreamClosed = echo.closed(0);
    // Traffic until the cut: the lifetime counts from the 101, not from the last byte.
    ws.on('message', () => {
      if (ws.readyState === ws.OPEN) ws.send('again');
    });
    ws.send('again');
    expect(await clientClosed(ws)).toBe(1006);
    await upstreamClosed;
    await waitFor(async () => (await sample(metrics, 'weir_tunnels_open{route="chat"}')) === 0);
    expect(await sample(metrics, 'weir_tunnels_total{route="chat",outcome="max-lifetime"}')).toBe(1);
    expect(plane.plane.stats().inFlight).toBe(0);
  });
});
