import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Load } from './harness/load';
import { ownerOfConnection } from './harness/proc';
import { TestUpstream } from './harness/upstreams';

/**
 * A worker killed with SIGKILL while requests run is reported (`worker exited`), replaced by a
 * new worker that is handed the committed version before it serves (`worker ready` with that
 * version), and traffic continues: at most the requests in flight on the killed worker fail, and
 * the new worker itself serves requests (proved by finding which process owns the upstream
 * connections, from /proc).
 */
const CONCURRENCY = 10;

describe('worker supervision', () => {
  let backend: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let load: Load | null = null;

  beforeAll(async () => {
    backend = await TestUpstream.start('backend');
    config = new ConfigFile(proxyConfig({ routes: [{ name: 'all', upstream: 'backend' }], upstreams: [upstream('backend', backend.address)] }));
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (load) await load.stop();
    if (daemon) await daemon.stop();
    await backend?.close();
    config?.remove();
  });

  test('a SIGKILLed worker is replaced with the committed version and traffic continues', async () => {
    expect.assertions(7);
    const d = daemon as Daemon;
    const version = d.version;
    const [victim, survivor] = d.liveWorkerPids() as [number, number];

    load = new Load({ port: d.port, concurrency: CONCURRENCY });
    await load.waitFor(100, 0, 15_000);

    const exited = d.nextLog((line) => line.msg === 'worker exited' && line['workerPid'] === victim, 10_000);
    const replaced = d.nextLog((line) => line.msg === 'worker ready' && line['workerPid'] !== victim && line['workerPid'] !== survivor, 15_000);
    process.kill(victim, 'SIGKILL');
    expect(await exited).toMatchObject({ workerPid: victim, signal: 'SIGKILL' });
    const ready = await replaced;
    expect(ready).toMatchObject({ version: version ?? 'no version in weir ready' });
    const replacement = ready['workerPid'] as number;

    // Traffic after the replacement is clean.
    const epoch = load.nextEpoch();
    await load.waitFor(300, epoch, 15_000);
    const samples = await load.stop();
    load = null;
    expect(samples.filter((s) => s.epoch >= epoch && s.failed)).toEqual([]);
    // Before it, only requests in flight on the killed worker (one per client at most) may fail.
    expect(samples.filter((s) => s.failed).length).toBeLessThanOrEqual(CONCURRENCY);
    expect(samples.filter((s) => !s.failed).length).toBeGreaterThanOrEqual(400);

    // The replacement serves: fresh connections until one of its upstream connections shows up.
    expect(await replacementServes(d, replacement, survivor)).toBe(true);
    expect(d.liveWorkerPids().sort()).toEqual([replacement, survivor].sort());
  }, 60_000);

  /**
   * Send batches of requests on fresh connections (the kernel hands new connections to whichever
   * worker accepts first) and look up which worker owns the upstream connection each request
   * arrived on. Bounded by a deadline.
   */
  async function replacementServes(d: Daemon, replacement: number, survivor: number): Promise<boolean> {
    const up = backend as TestUpstream;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const from = up.requests.length;
      const batch = new Load({ port: d.port, concurrency: 4, fresh: true });
      await batch.waitFor(40, 0, 10_000);
      await batch.stop();
      const ports = new Set(up.requests.slice(from).map((r) => r.remotePort));
      for (const port of ports) {
        if (ownerOfConnection(port, up.port, [replacement, survivor]) === replacement) return true;
      }
    }
    return false;
  }
});
