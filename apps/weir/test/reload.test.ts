import { Daemon, type LogLine } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { send } from './harness/client';
import { countBodies, Load } from './harness/load';
import { closeAll, startUpstreams, type TestUpstream } from './harness/upstreams';

/**
 * SIGHUP re-reads the config file and applies it in two phases while traffic flows: with 50
 * keep-alive clients running through three reloads, no request fails, and every request sent
 * after a reload's `config applied` line goes to the new upstream. A file that is not JSON or not
 * a valid config is rejected with `config rejected`, and the running version keeps serving.
 */
const GENERATIONS = ['gen-0', 'gen-1', 'gen-2', 'gen-3'];

describe('reload on SIGHUP', () => {
  let upstreams: TestUpstream[] = [];
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let load: Load | null = null;

  const configFor = (generation: string) =>
    proxyConfig({
      routes: [{ name: 'all', upstream: generation }],
      upstreams: upstreams.map((u) => upstream(u.name, u.address)),
    });

  /** SIGHUP, then the next `config applied` or `config rejected` line. */
  const reload = async (): Promise<LogLine> => {
    const outcome = (daemon as Daemon).nextLog((line) => line.msg === 'config applied' || line.msg === 'config rejected', 15_000);
    (daemon as Daemon).signal('SIGHUP');
    return outcome;
  };

  beforeEach(async () => {
    upstreams = await startUpstreams(GENERATIONS);
    config = new ConfigFile(configFor('gen-0'));
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterEach(async () => {
    if (load) await load.stop();
    load = null;
    if (daemon) await daemon.stop();
    daemon = null;
    await closeAll(upstreams);
    config?.remove();
  });

  test('three reloads under 50 concurrent keep-alive clients: zero failures, traffic follows each reload', async () => {
    expect.assertions(8);
    load = new Load({ port: (daemon as Daemon).port, concurrency: 50 });
    await load.waitFor(200, 0, 15_000);

    const versions = new Set<string>();
    for (let generation = 1; generation < GENERATIONS.length; generation++) {
      const name = GENERATIONS[generation] as string;
      (config as ConfigFile).write(configFor(name));
      const outcome = await reload();
      expect(outcome).toMatchObject({ msg: 'config applied', version: expect.any(String) });
      versions.add(String(outcome['version']));
      const epoch = load.nextEpoch();
      await load.waitFor(200, epoch, 15_000);
      // Every request sent after `config applied` was logged is served by the new upstream.
      expect(countBodies(load.samples.filter((s) => s.epoch === epoch))).toEqual({ [name]: expect.any(Number) });
    }
    const samples = await load.stop();
    expect(samples.filter((s) => s.failed)).toEqual([]);
    expect(versions.size).toBe(3);
  }, 60_000);

  test('a config file that is not JSON, or not a valid config, is rejected and the old version keeps serving', async () => {
    expect.assertions(6);
    const port = (daemon as Daemon).port;

    (config as ConfigFile).write('{ "listeners": [ this is not json');
    expect(await reload()).toMatchObject({ msg: 'config rejected', code: 'WEIR_ERR_CONFIG_PARSE', source: expect.any(String) });
    expect(await servedBy(port, 10)).toEqual({ 'gen-0': 10 });

    // Valid JSON, invalid config: a listener port out of range and a route with no action.
    (config as ConfigFile).write(JSON.stringify({ listeners: [{ name: 'main', port: 70000 }], routes: [{ name: 'broken' }] }));
    expect(await reload()).toMatchObject({ msg: 'config rejected', code: 'WEIR_ERR_CONFIG_INVALID' });
    expect(await servedBy(port, 10)).toEqual({ 'gen-0': 10 });

    // The provider is not stuck: a good file after bad ones applies.
    (config as ConfigFile).write(configFor('gen-1'));
    expect(await reload()).toMatchObject({ msg: 'config applied' });
    expect(await servedBy(port, 10)).toEqual({ 'gen-1': 10 });
  }, 60_000);
});

/** Send `count` requests on fresh connections (spread over both workers); count bodies. */
async function servedBy(port: number, count: number): Promise<Record<string, number>> {
  const bodies: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const response = await send(port, { path: `/check-${i}` });
    const key = response.status === 200 ? response.body : `status ${response.status}`;
    bodies[key] = (bodies[key] ?? 0) + 1;
  }
  return bodies;
}
