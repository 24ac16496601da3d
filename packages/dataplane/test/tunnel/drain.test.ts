import { createDataplaneMetrics, type DataplaneMetrics } from '@weir/obs';
import { startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { clientClosed, openClient, roundTrip, sample, startEchoUpstream, type EchoUpstream } from './ws-helpers';

describe('WebSocket tunnels: drain', () => {
  let echo: EchoUpstream;
  let plane: TestPlane;
  let metrics: DataplaneMetrics;

  beforeEach(async () => {
    echo = await startEchoUpstream();
    metrics = createDataplaneMetrics();
    plane = await startPlane(makeSpec({ upstreams: [upstream('ws', [echo.port])], routes: [forwardRoute('chat', 'ws')] }), { metrics });
  });

  afterEach(async () => {
    await echo.close();
  });

  it('closes the tunnels still open when the drain timeout expires, and not before', async () => {
    expect.assertions(5);
    const ws = await openClient(plane.port);
    await roundTrip(ws, 'hi');
    const closedAt: number[] = [];
    ws.on('close', () => closedAt.push(performance.now()));
    const started = performance.now();
    await plane.plane.drain(400);
    const took = performance.now() - started;
    expect(await clientClosed(ws)).toBe(1006);
    expect(closedAt[0]! - started).toBeGreaterThanOrEqual(350);
    // The drain ends with the tunnels: it never waits for them beyond its timeout.
    expect(took).toBeLessThan(2_000);
    expect(await sample(metrics, 'weir_tunnels_total{route="chat",outcome="drain"}')).toBe(1);
    expect(await sample(metrics, 'weir_tunnels_open{route="chat"}')).toBe(0);
  });

  it('ends early when the last tunnel closes on its own during the drain', async () => {
    expect.assertions(2);
    const ws = await openClient(plane.port);
    await roundTrip(ws, 'hi');
    const started = performance.now();
    const drained = plane.plane.drain(30_000);
    ws.close(1001);
    expect(await clientClosed(ws)).toBe(1001);
    await drained;
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
