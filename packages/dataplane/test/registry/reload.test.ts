import type { Socket } from 'node:net';
import { DataPlane } from '../../src/index';
import { silentLogger, startUpstream, type TestUpstream } from '../helpers/servers';
import { send } from '../helpers/plane';
import { forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

describe('reload and pool reuse', () => {
  let a: TestUpstream;
  let b: TestUpstream;
  let plane: DataPlane;
  let port: number;
  /** Remote ports of the proxy's connections, per request, at upstream a. */
  const portsAtA: number[] = [];
  let releaseB: (() => void) | null = null;
  let onB: (() => void) | null = null;
  let bSocket: Socket | null = null;

  beforeAll(async () => {
    a = await startUpstream((req, res) => {
      portsAtA.push(req.socket.remotePort ?? 0);
      res.end('a');
    });
    b = await startUpstream((req, res) => {
      bSocket = req.socket;
      releaseB = () => res.end('b');
      onB?.();
    });
    // Idle connections to b would otherwise close on their own after 5 s; only the pool's
    // close may end it in this test.
    b.server.keepAliveTimeout = 60_000;
    plane = new DataPlane({ logger: silentLogger() });
  });

  afterAll(async () => {
    await plane.drain(500);
    await a.close();
    await b.close();
  });

  it('keeps the keep-alive connection of an unchanged upstream and closes a removed one after its request', async () => {
    expect.assertions(6);
    const routes = [
      forwardRoute('b', 'b', { match: match({ path: { kind: 'prefix', value: '/b' } }) }),
      forwardRoute('a', 'a'),
    ];
    const v1 = await plane.prepare(makeSpec({ upstreams: [upstream('a', [a.port]), upstream('b', [b.port], { pool: { keepAliveMs: 60_000 } })], routes }));
    plane.commit();
    port = v1.listeners[0]!.port;
    expect((await send(port, { path: '/one' })).body.toString()).toBe('a');

    // A request to b stays in flight across the reload that removes b.
    const bArrived = new Promise<void>((resolve) => (onB = resolve));
    const inFlight = send(port, { path: '/b' });
    await bArrived;

    await plane.prepare(makeSpec({ upstreams: [upstream('a', [a.port])], routes: [forwardRoute('a', 'a')] }));
    plane.commit();
    expect((await send(port, { path: '/two' })).body.toString()).toBe('a');
    // Same upstream connection before and after the reload: the pool survived.
    expect(portsAtA[1]).toBe(portsAtA[0]);

    // b's pool closes only once its last request is done: the socket is still open now.
    const socket = bSocket as Socket | null;
    expect(socket?.destroyed).toBe(false);
    const socketClosed = new Promise<void>((resolve) => socket!.once('close', () => resolve()));
    releaseB!();
    expect((await inFlight).body.toString()).toBe('b');
    await socketClosed;
    expect(socket!.destroyed).toBe(true);
  });
});
