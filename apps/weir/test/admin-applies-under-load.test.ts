import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { countBodies, Load } from './harness/load';

/**
 * 200 applies through the admin API, back to back, while 20 keep-alive clients run requests
 * through both workers: every apply commits, and not one client request fails.
 */
const APPLIES = 200;
const writer = testToken('ci', ['read', 'write']);

function configFor(generation: number): WeirConfig {
  return { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: `gen-${generation}` } }] }), admin: { tokens: [writer.entry] } };
}

describe('admin API applies under load', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let load: Load | null = null;

  afterEach(async () => {
    await load?.stop();
    load = null;
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  test(`${APPLIES} applies back to back with zero failed client requests`, async () => {
    expect.assertions(4);
    file = new ConfigFile(configFor(0));
    daemon = await Daemon.start({ configPath: file.path });
    load = new Load({ port: daemon.port, concurrency: 20, maxDurationMs: 40_000 });
    await load.waitFor(100, 0, 10_000);

    const statuses: number[] = [];
    for (let generation = 1; generation <= APPLIES; generation++) {
      const answer = await adminCall(daemon, 'POST', '/admin/config', { token: writer.token, body: configFor(generation) });
      statuses.push(answer.status);
    }
    const epoch = load.nextEpoch();
    await load.waitFor(100, epoch, 10_000);
    const samples = await load.stop();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(samples.filter((s) => s.failed)).toEqual([]);
    // Requests sent after the last apply answered see the last generation only.
    expect(Object.keys(countBodies(samples.filter((s) => s.epoch === epoch)))).toEqual([`gen-${APPLIES}`]);
    expect(samples.length).toBeGreaterThan(200);
  }, 60_000);
});
