import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { countBodies, Load } from './harness/load';
import { closeAll, startUpstreams, type TestUpstream } from './harness/upstreams';

/**
 * Weighted split 80/20 between two upstream groups, measured over 2,000 requests spread over
 * both workers.
 *
 * Tolerance: if each request picked a group independently, the share of the heavy group would
 * be binomial with standard deviation sqrt(0.8 * 0.2 / 2000) ≈ 0.89 percentage points. The bound
 * is 4.5 of those (±4.0 points), so a correct random split fails about once in 150,000 runs; a
 * deterministic weighted table (smooth round robin per worker) lands far closer than that.
 */
const REQUESTS = 2000;
const HEAVY_SHARE = 0.8;
const TOLERANCE = 4.5 * Math.sqrt((HEAVY_SHARE * (1 - HEAVY_SHARE)) / REQUESTS);

describe('weighted split', () => {
  let upstreams: TestUpstream[] = [];
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeAll(async () => {
    upstreams = await startUpstreams(['heavy', 'light']);
    config = new ConfigFile(
      proxyConfig({
        routes: [{ name: 'split', split: [{ upstream: 'heavy', weight: 80 }, { upstream: 'light', weight: 20 }] }],
        upstreams: upstreams.map((u) => upstream(u.name, u.address)),
      }),
    );
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await closeAll(upstreams);
    config?.remove();
  });

  test(`2,000 requests split 80/20 within ±${(TOLERANCE * 100).toFixed(1)} points`, async () => {
    expect.assertions(3);
    const load = new Load({ port: (daemon as Daemon).port, concurrency: 20, maxDurationMs: 60_000 });
    await load.waitFor(REQUESTS, 0, 60_000);
    const all = await load.stop();
    const samples = all.slice(0, REQUESTS);

    const counts = countBodies(samples);
    expect(all.filter((s) => s.failed)).toEqual([]);
    expect((counts['heavy'] ?? 0) + (counts['light'] ?? 0)).toBe(REQUESTS);
    const share = (counts['heavy'] ?? 0) / REQUESTS;
    expect(Math.abs(share - HEAVY_SHARE)).toBeLessThanOrEqual(TOLERANCE);
  });
});
