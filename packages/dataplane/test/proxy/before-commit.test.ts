import { DataPlane } from '@weir/dataplane';
import { errorCode, send } from '../helpers/plane';
import { directRoute, listener, makeSpec } from '../helpers/spec';
import { silentLogger } from '../helpers/servers';

/**
 * A worker opens its listeners in prepare, before its first commit. A restarted worker shares the
 * listening socket with workers already serving, so connections can reach it in that window.
 * Those requests must neither fail nor see an uncommitted version: they wait for the commit, or
 * get 503 WEIR_ERR_NOT_READY if the prepared version is aborted.
 */
describe('requests that arrive before the first commit', () => {
  const planes: DataPlane[] = [];
  afterEach(async () => {
    for (const p of planes.splice(0)) await p.drain(1_000);
  });

  const spec = makeSpec({ listeners: [listener('main')], routes: [directRoute('hello', 200, 'hello\n')] });

  /** Prepare only; resolve once the request is parked in the handler. */
  async function prepared(): Promise<{ plane: DataPlane; port: number }> {
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const result = await plane.prepare(spec);
    return { plane, port: result.listeners[0]!.port };
  }

  async function parked(plane: DataPlane, count: number): Promise<void> {
    const handler = (plane as unknown as { handler: { heldCount: number } }).handler;
    for (let i = 0; i < 500 && handler.heldCount < count; i++) await new Promise((r) => setImmediate(r));
    expect(handler.heldCount).toBe(count);
  }

  it('are held until the commit and then served by the committed version', async () => {
    expect.assertions(4);
    const { plane, port } = await prepared();
    const a = send(port, { path: '/a' });
    const b = send(port, { path: '/b' });
    await parked(plane, 2);
    plane.commit();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.body.toString()).toBe('hello\n');
    expect(rb.status).toBe(200);
    expect(plane.stats().version).toBe(spec.version);
  });

  it('get 503 WEIR_ERR_NOT_READY when the prepared version is aborted', async () => {
    expect.assertions(3);
    const { plane, port } = await prepared();
    // abort() answers the held request before it closes the listener the prepare opened.
    const pending = send(port, { path: '/a' });
    await parked(plane, 1);
    plane.abort();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(errorCode(res)).toBe('WEIR_ERR_NOT_READY');
  });
});
