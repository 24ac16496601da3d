import * as path from 'node:path';
import { buildSpec, encodeSpec } from '@weir/runtime';
import { Fleet } from '../../src/fleet/index';
import { CapturedLog } from '../support/capture-logger';

/**
 * One end-to-end check with real node:cluster workers: the spec crosses IPC as bytes (advanced
 * serialization), a SIGKILLed worker is replaced and synced, and a drain ends every process.
 * The fixture loads the compiled agent from dist (npm test runs `tsc -b` first).
 */
describe('Fleet (real cluster workers)', () => {
  let fleet: Fleet | null = null;

  afterEach(async () => {
    await fleet?.drain(0);
    fleet = null;
  });

  it('applies over real IPC, replaces a killed worker, and drains', async () => {
    expect.assertions(6);
    const log = new CapturedLog();
    fleet = new Fleet({
      workers: 2,
      logger: log.logger,
      exec: path.join(__dirname, 'fixtures', 'fork-worker.js'),
      backoff: { initialMs: 10 },
    });
    await fleet.start();
    const spec = buildSpec({
      listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
      routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }],
    });
    const result = await fleet.apply(encodeSpec(spec), spec.version);
    expect(result).toEqual({ version: spec.version, listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }] });
    await expect(fleet.whenServing(spec.version)).resolves.toBe(true);

    const victim = fleet.status()[0]?.pid ?? -1;
    process.kill(victim, 'SIGKILL');
    await log.until((l) => l.msg === 'worker exited' && l['workerPid'] === victim);
    const ready = await log.untilCount('worker ready', 3);
    expect(ready['version']).toBe(spec.version);
    await expect(fleet.whenServing(spec.version)).resolves.toBe(true);

    await fleet.drain(1_000);
    expect(fleet.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    expect(log.withMsg('worker exited').slice(1).map((l) => l['code'])).toEqual([0, 0]);
  });
});
