import { createDataplaneMetrics } from '@weir/obs';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, makeSpec } from '../helpers/spec';

/**
 * Issue 15: a 100,000-route config kept its memory after going back to a small one, because
 * every route's metric handle (and histogram series) was kept for the process's life. Handles are
 * now held by the runtimes that use them and forgotten when the last one retires.
 */
describe('metric handles follow the runtimes that hold them', () => {
  let plane: TestPlane | null = null;

  afterEach(async () => {
    await plane?.close();
    plane = null;
  });

  it('forgets the label sets of removed routes once their runtime retires, and keeps the others counting', async () => {
    expect.assertions(5);
    const metrics = createDataplaneMetrics();
    const many = Array.from({ length: 50 }, (_, i) => directRoute(`r${i}`, 200, `r${i}`));
    plane = await startPlane(makeSpec({ routes: many }), { metrics });
    await send(plane.port);
    // 50 routes plus the unrouted label set.
    expect(metrics.heldLabelSets).toBe(51);
    await plane.plane.prepare(makeSpec({ routes: [directRoute('r0', 200, 'kept')] }));
    plane.plane.commit();
    // The old runtime had no request in flight: it retired at the commit.
    expect(metrics.heldLabelSets).toBe(2);
    await send(plane.port);
    const text = await metrics.registry.metrics();
    expect(text).toContain('weir_requests_total{route="r0",upstream="",status="200",arm="stable"} 2');
    expect(text).not.toContain('route="r1"');
    expect(text).not.toContain('route="r49"');
  });
});
