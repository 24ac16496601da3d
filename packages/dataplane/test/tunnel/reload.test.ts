import { startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';
import { clientClosed, openClient, roundTrip, startEchoUpstream, waitFor, type EchoUpstream } from './ws-helpers';

describe('WebSocket tunnels: config applies', () => {
  let first: EchoUpstream;
  let second: EchoUpstream;
  let plane: TestPlane;

  beforeEach(async () => {
    first = await startEchoUpstream();
    second = await startEchoUpstream();
    plane = await startPlane(makeSpec({ upstreams: [upstream('old', [first.port])], routes: [forwardRoute('chat', 'old')] }));
  });

  afterEach(async () => {
    await plane.close();
    await first.close();
    await second.close();
  });

  it('keeps a tunnel on the runtime it started with; that runtime retires after the tunnel ends', async () => {
    expect.assertions(7);
    const ws = await openClient(plane.port);
    expect((await roundTrip(ws, 'before')).toString()).toBe('before');
    const next = makeSpec({ upstreams: [upstream('new', [second.port])], routes: [forwardRoute('chat', 'new')] });
    await plane.plane.prepare(next);
    plane.plane.commit();
    expect(plane.plane.stats().version).toBe(next.version);
    // The old tunnel still works, and still holds the old runtime (its upstream's state).
    expect((await roundTrip(ws, 'after')).toString()).toBe('after');
    expect(plane.plane.endpointState('old', `127.0.0.1:${first.port}`)).toBeDefined();
    // New tunnels use the new config.
    const fresh = await openClient(plane.port);
    await roundTrip(fresh, 'x');
    expect(second.requests).toHaveLength(1);
    fresh.close();
    await clientClosed(fresh);
    ws.close();
    await clientClosed(ws);
    await waitFor(() => plane.plane.endpointState('old', `127.0.0.1:${first.port}`) === undefined);
    expect(plane.plane.endpointState('old', `127.0.0.1:${first.port}`)).toBeUndefined();
    await waitFor(() => plane.plane.stats().inFlight === 0);
    expect(plane.plane.stats().inFlight).toBe(0);
  });
});
