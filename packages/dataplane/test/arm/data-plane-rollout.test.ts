import { createDataplaneMetrics } from '@weir/obs';
import { DataPlane } from '../../src/index';
import { silentLogger } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { TEST_OUTLIER, directRoute, forwardRoute, makeSpec, upstream } from '../helpers/spec';
import type { WorkerRuntime } from '../../src/index';

/**
 * A data plane holding a rollout's candidate beside the committed runtime: prepare with target
 * `candidate`, commit, split, drop; metrics carry the arm.
 */
describe('DataPlane rollout arms', () => {
  let plane: TestPlane | null = null;

  afterEach(async () => {
    await plane?.close();
    plane = null;
  });

  async function bodies(port: number, n: number, headers: Record<string, string> = {}): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await send(port, { headers })).body.toString());
    return out;
  }

  it('serves the candidate only once split gives it a share, and the stable again after a drop', async () => {
    expect.assertions(7);
    const metrics = createDataplaneMetrics();
    plane = await startPlane(makeSpec({ routes: [directRoute('r', 200, 'stable')] }), { metrics });
    const p = plane.plane;
    const prepared = await p.prepare(makeSpec({ routes: [directRoute('r', 200, 'candidate')] }), 'candidate');
    expect(prepared.listeners.map((l) => l.port)).toEqual([plane.port]);
    p.commit();
    expect(new Set(await bodies(plane.port, 5))).toEqual(new Set(['stable']));
    p.split({ percent: 100, sticky: null });
    expect(new Set(await bodies(plane.port, 5))).toEqual(new Set(['candidate']));
    expect(p.stats()).toMatchObject({ candidateVersion: prepared.version, candidatePercent: 100 });
    expect(await metrics.registry.metrics()).toContain('weir_requests_total{route="r",upstream="",status="200",arm="candidate"} 5');
    p.dropCandidate();
    expect(new Set(await bodies(plane.port, 5))).toEqual(new Set(['stable']));
    // The dropped candidate retired: its label sets, held by no runtime now, are forgotten.
    expect(await metrics.registry.metrics()).not.toContain('arm="candidate"');
  });

  it('keeps a sticky client on its arm, and ends the split on the next stable commit', async () => {
    expect.assertions(3);
    plane = await startPlane(makeSpec({ routes: [directRoute('r', 200, 'stable')] }));
    const p = plane.plane;
    await p.prepare(makeSpec({ routes: [directRoute('r', 200, 'candidate')] }), 'candidate');
    p.commit();
    p.split({ percent: 50, sticky: { kind: 'header', name: 'x-user' } });
    const perUser: string[] = [];
    for (let u = 0; u < 12; u++) perUser.push([...new Set(await bodies(plane.port, 3, { 'x-user': `u${u}` }))].join('+'));
    // Each user saw one arm three times; 12 users at 50% land on both arms.
    expect(new Set(perUser)).toEqual(new Set(['stable', 'candidate']));
    await p.prepare(makeSpec({ routes: [directRoute('r', 200, 'promoted')] }));
    p.commit();
    expect(new Set(await bodies(plane.port, 4, { 'x-user': 'u1' }))).toEqual(new Set(['promoted']));
    expect(p.stats().candidateVersion).toBeNull();
  });

  it('refuses a candidate before any commit, and ignores a split without a candidate', async () => {
    expect.assertions(2);
    plane = await startPlane(makeSpec({ routes: [directRoute('r', 200, 'stable')] }));
    plane.plane.split({ percent: 100, sticky: null });
    expect(new Set(await bodies(plane.port, 3))).toEqual(new Set(['stable']));
    const fresh = new DataPlane({ logger: silentLogger() });
    await expect(fresh.prepare(makeSpec({}), 'candidate')).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
  });

  it('carries the candidate\'s resilience state into the promoted runtime, upstreams only it has included', async () => {
    expect.assertions(2);
    plane = await startPlane(makeSpec({ routes: [directRoute('r', 200, 'stable')] }));
    const p = plane.plane;
    // The candidate adds an upstream (nothing listens on port 1: no request is sent to it).
    const candidateSpec = makeSpec({ routes: [forwardRoute('r', 'fresh')], upstreams: [upstream('fresh', [1], { outlier: TEST_OUTLIER })] });
    await p.prepare(candidateSpec, 'candidate');
    p.commit();
    // Internal view for the assertion: the runtimes the data plane holds.
    const runtimes = (p as unknown as { runtimes: { current(): WorkerRuntime | null; currentCandidate(): WorkerRuntime | null } }).runtimes;
    const candidateState = runtimes.currentCandidate()?.upstreams.get('fresh');
    await p.prepare(candidateSpec);
    p.commit();
    const promoted = runtimes.current()?.upstreams.get('fresh');
    expect(promoted?.outlier).toBe(candidateState?.outlier);
    expect(promoted?.outlier).not.toBeNull();
  });
});
