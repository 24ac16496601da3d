import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * Issue 15, "nothing restarts a stuck worker": a worker whose event loop is blocked kept its
 * place for as long as it was stuck. The primary's watchdog pings every worker; one silent for
 * `server.watchdogTimeoutMs` is replaced by a fresh worker that gets the committed version, and
 * then killed. The block comes from the worker's test hook (`WEIR_TEST_HOOKS=block-on-sigusr2`,
 * off by default): SIGUSR2 makes it spin.
 */
describe('worker watchdog (built daemon, 2 workers)', () => {
  const weir = daemonPerTest();

  it('replaces a worker whose event loop is blocked, while the other keeps serving', async () => {
    expect.assertions(6);
    const base = proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'alive' } }] });
    const config: WeirConfig = { ...base, server: { ...base.server, watchdogTimeoutMs: 1000 } };
    const d = await weir.start(config, { env: { WEIR_TEST_HOOKS: 'block-on-sigusr2' } });
    const [stuck, healthy] = d.liveWorkerPids();
    const replacing = d.nextLog((l) => l.msg === 'worker unresponsive; replacing it', 15_000);
    const killed = d.nextLog((l) => l.msg === 'unresponsive worker killed', 30_000);
    process.kill(stuck as number, 'SIGUSR2');
    const replaced = await replacing;
    expect(replaced['workerPid']).toBe(stuck);
    // The stuck worker has been blocked for a second by now and accepts nothing: new connections
    // go to a worker that runs, so every request is answered while the replacement starts.
    // (A request sent at the very moment of the block could land on a connection the worker had
    // just accepted; that is why the requests start after the detection.)
    const during: number[] = [];
    for (let i = 0; i < 10; i++) during.push((await send(d.port)).status);
    expect(new Set(during)).toEqual(new Set([200]));
    const kill = await killed;
    expect(kill['workerPid']).toBe(stuck);
    expect(d.liveWorkerPids()).toContain(healthy);
    expect(d.liveWorkerPids()).not.toContain(stuck);
    const after = new Set<number>();
    for (let i = 0; i < 10; i++) after.add((await send(d.port)).status);
    expect([...after]).toEqual([200]);
  }, 60_000);
});
