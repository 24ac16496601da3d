import type { RouteSpec, Spec } from '@weir/runtime';
import { DataPlane } from '../../src/index';
import { silentLogger } from '../helpers/servers';
import { forwardRoute, listener, makeSpec, match, upstream } from '../helpers/spec';

/**
 * Issue 15, "big applies stall traffic": applying a 100,000-route config blocked each worker's
 * event loop for well over a second (decode ~0.7 s, assemble ~0.8 s, all synchronous inside
 * `prepare`), so proxied requests waited up to 2 s. The worker now assembles in slices
 * (`assembleAsync`), yielding to its event loop in between; an `abort()` or `drain()` that
 * arrives while it assembles stops the build and releases what it took.
 */
function bigSpec(routes: number, version: string): Spec {
  const list: RouteSpec[] = [];
  for (let i = 0; i < routes; i++) {
    list.push(forwardRoute(`r${i}`, `u${i % 10}`, { match: match({ hosts: [`h${i % 100}.example.com`], path: { kind: 'prefix', value: `/svc${i}` } }) }));
  }
  const upstreams = [];
  for (let i = 0; i < 10; i++) upstreams.push(upstream(`u${i}`, [20_000 + i]));
  return makeSpec({ version, listeners: [listener('main')], upstreams, routes: list });
}

describe('issue 15: prepare does not hold the event loop for a big spec', () => {
  const planes: DataPlane[] = [];
  const newPlane = (): DataPlane => {
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    return plane;
  };

  afterEach(async () => {
    await Promise.all(planes.splice(0).map((p) => p.drain(0)));
  });

  it('lets the event loop run between slices while it assembles', async () => {
    expect.assertions(2);
    const plane = newPlane();
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const prepared = await plane.prepare(bigSpec(10_000, 'v-big'));
    running = false;
    expect(prepared.version).toBe('v-big');
    // 10,000 routes are 20 route slices and 20 router slices: the loop ran between them.
    expect(ticks).toBeGreaterThanOrEqual(40);
  });

  it('stops a build aborted mid-way and releases its endpoints; the next prepare works', async () => {
    expect.assertions(4);
    const plane = newPlane();
    const building = plane.prepare(bigSpec(5_000, 'v-aborted'));
    plane.abort();
    await expect(building).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    expect(plane.endpointState('u1', '127.0.0.1:20001')).toBeUndefined();
    const next = await plane.prepare(bigSpec(10, 'v-next'));
    plane.commit();
    expect(next.version).toBe('v-next');
    expect(plane.stats().version).toBe('v-next');
  });

  it('stops a build when the worker starts draining', async () => {
    expect.assertions(2);
    const plane = newPlane();
    const building = plane.prepare(bigSpec(5_000, 'v-drained'));
    const drained = plane.drain(0);
    await expect(building).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING' });
    await drained;
    expect(plane.endpointState('u1', '127.0.0.1:20001')).toBeUndefined();
  });
});
