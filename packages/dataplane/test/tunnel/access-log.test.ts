import { MemoryAccessLog, startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { clientClosed, openClient, rawExchange, roundTrip, startEchoUpstream, upgradeRequest, type EchoUpstream } from './ws-helpers';

describe('WebSocket tunnels: access log', () => {
  let echo: EchoUpstream;
  let plane: TestPlane;
  let log: MemoryAccessLog;

  beforeEach(async () => {
    echo = await startEchoUpstream();
    log = new MemoryAccessLog();
    const spec = makeSpec({ upstreams: [upstream('ws', [echo.port])], routes: [forwardRoute('chat', 'ws')] });
    plane = await startPlane({ ...spec, logging: { ...spec.logging, accessLog: { enabled: true, path: 'memory' } } }, { accessLog: log });
  });

  afterEach(async () => {
    await plane.close();
    await echo.close();
  });

  it('writes one record per tunnel when it ends: 101, its life, the bytes sent to the client', async () => {
    expect.assertions(1);
    const ws = await openClient(plane.port, '/chat?room=1');
    await roundTrip(ws, 'x'.repeat(100));
    ws.close(1000);
    await clientClosed(ws);
    await log.waitFor(1);
    expect(log.records[0]).toMatchObject({
      method: 'GET',
      path: '/chat?room=1',
      status: 101,
      route: 'chat',
      upstream: 'ws',
      endpoint: `127.0.0.1:${echo.port}`,
      remoteAddress: '127.0.0.1',
      code: null,
      bytesSent: expect.any(Number) as number,
    });
  });

  it('writes a refusal with its status and code', async () => {
    expect.assertions(1);
    // A WebSocket handshake carries no body: this one is refused before any upstream is asked.
    await rawExchange(plane.port, upgradeRequest('/chat', 'websocket', 'Content-Length: 2\r\n') + 'hi');
    await log.waitFor(1);
    expect(log.records[0]).toMatchObject({ status: 400, route: 'chat', code: 'WEIR_ERR_BAD_REQUEST' });
  });
});
