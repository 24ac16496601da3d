import { Fleet, type FleetOptions } from '../../src/fleet/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, LISTENERS, bytesOf } from '../support/fake-workers';

describe('Fleet (fake workers)', () => {
  let fleets: Fleet[] = [];
  let log: CapturedLog;
  let fakes: FakeWorkers;

  function makeFleet(options: Partial<FleetOptions> = {}): Fleet {
    const fleet = new Fleet({
      workers: 2,
      logger: log.logger,
      spawn: fakes.spawn,
      backoff: { initialMs: 1, maxMs: 8 },
      drainGraceMs: 10,
      ...options,
    });
    fleets.push(fleet);
    return fleet;
  }

  beforeEach(() => {
    log = new CapturedLog();
    fakes = new FakeWorkers();
  });

  afterEach(async () => {
    await Promise.all(fleets.map((f) => f.drain(0)));
    fleets = [];
  });

  it('starts every worker and waits for their hello', async () => {
    expect.assertions(3);
    const fleet = makeFleet({ workers: 3 });
    await fleet.start();
    expect(fleet.status().map((s) => s.state)).toEqual(['ready', 'ready', 'ready']);
    expect(fleet.status().map((s) => s.version)).toEqual([null, null, null]);
    expect(log.withMsg('worker started').map((l) => l['workerPid'])).toEqual(fakes.all.map((w) => w.pid));
  });

  it('applies in two phases: prepare to all, then commit to all', async () => {
    expect.assertions(6);
    const fleet = makeFleet();
    await fleet.start();
    const result = await fleet.apply(bytesOf('v1'), 'v1');
    expect(result).toEqual({ version: 'v1', listeners: LISTENERS });
    expect(fakes.live(0).types).toEqual(['weir:prepare', 'weir:commit']);
    expect(fakes.live(1).types).toEqual(['weir:prepare', 'weir:commit']);
    expect(fleet.committedVersion).toBe('v1');
    await expect(fleet.whenServing('v1')).resolves.toBe(true);
    expect(log.withMsg('worker ready').map((l) => l['version'])).toEqual(['v1', 'v1']);
  });

  it('aborts everywhere and names the worker when one nacks', async () => {
    expect.assertions(6);
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fakes.live(1).behaviour.prepare = 'nack';
    const err = await fleet.apply(bytesOf('v2'), 'v2').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED', cause: { code: 'WEIR_ERR_LISTEN' } });
    expect((err as Error).message).toContain(String(fakes.live(1).pid));
    expect((err as { details: unknown }).details).toEqual([{ pointer: '/listeners/0', message: 'address in use' }]);
    expect(fakes.live(0).types.slice(2)).toEqual(['weir:prepare', 'weir:abort']);
    expect(fakes.live(0).serving).toBe('v1');
    expect(fleet.status().map((s) => s.version)).toEqual(['v1', 'v1']);
  });

  it('aborts with WEIR_ERR_APPLY_TIMEOUT when a worker never answers', async () => {
    expect.assertions(3);
    const fleet = makeFleet();
    await fleet.start();
    fakes.live(0).behaviour.prepare = 'hang';
    const err = await fleet.apply(bytesOf('v1'), 'v1', { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WEIR_ERR_APPLY_TIMEOUT' });
    expect((err as Error).message).toContain(String(fakes.live(0).pid));
    expect(fakes.live(1).types).toEqual(['weir:prepare', 'weir:abort']);
  });

  it('rejects when a worker exits during prepare, and the restarted worker gets nothing new', async () => {
    expect.assertions(3);
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fakes.live(0).behaviour.prepare = 'exit';
    await expect(fleet.apply(bytesOf('v2'), 'v2')).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    await log.untilCount('worker ready', 3);
    expect(fakes.generations(0)[1]?.serving).toBe('v1');
    expect(fleet.committedVersion).toBe('v1');
  });

  it('stops waiting for silent workers after the start timeout, then refuses to apply to none', async () => {
    expect.assertions(2);
    fakes.behaviourFor = () => ({ hello: false });
    const fleet = makeFleet({ startTimeoutMs: 20 });
    await fleet.start();
    expect(fleet.status().map((s) => s.state)).toEqual(['starting', 'starting']);
    await expect(fleet.apply(bytesOf('v1'), 'v1')).rejects.toMatchObject({ code: 'WEIR_ERR_NO_WORKERS' });
  });

  it('runs concurrent applies one after the other', async () => {
    expect.assertions(2);
    const fleet = makeFleet({ workers: 1 });
    await fleet.start();
    const results = await Promise.all([fleet.apply(bytesOf('v1'), 'v1'), fleet.apply(bytesOf('v2'), 'v2')]);
    expect(results.map((r) => r.version)).toEqual(['v1', 'v2']);
    expect(fakes.live(0).types).toEqual(['weir:prepare', 'weir:commit', 'weir:prepare', 'weir:commit']);
  });

  it('restarts a crashed worker and hands it the committed snapshot before it counts as ready', async () => {
    expect.assertions(7);
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    const crashed = fakes.live(1);
    crashed.exit(1);
    const exited = await log.until((l) => l.msg === 'worker exited');
    // Follows the committed version; resolved only once the replacement serves it.
    const serving = fleet.whenServing();
    let settled = false;
    void serving.then(() => (settled = true));
    expect(exited).toMatchObject({ workerPid: crashed.pid, code: 1, signal: null, restartInMs: 1 });
    await log.untilCount('worker started', 3);
    expect(settled).toBe(false);
    const ready = await log.untilCount('worker ready', 3);
    const replacement = fakes.live(1);
    expect(ready['workerPid']).toBe(replacement.pid);
    expect(replacement.types).toEqual(['weir:prepare', 'weir:commit']);
    expect(replacement.serving).toBe('v1');
    expect(fleet.status()[1]).toMatchObject({ pid: replacement.pid, state: 'ready', version: 'v1', restarts: 1 });
    await expect(serving).resolves.toBe(true);
  });

  it('keeps applying to healthy workers while another crash-loops with growing backoff', async () => {
    expect.assertions(3);
    // Slot 1 dies at once in every generation after the first.
    fakes.behaviourFor = (index, generation) => (index === 1 && generation > 0 ? { hello: false } : {});
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fakes.live(1).exit(1);
    const restarts = [];
    for (let i = 0; i < 5; i++) {
      const started = await log.untilCount('worker started', 3 + i);
      restarts.push(started);
      fakes.all.find((w) => w.pid === started['workerPid'])?.exit(1);
    }
    const delays = log.withMsg('worker exited').map((l) => l['restartInMs']);
    expect(delays.slice(0, 5)).toEqual([1, 2, 4, 8, 8]);
    await expect(fleet.apply(bytesOf('v2'), 'v2')).resolves.toMatchObject({ version: 'v2' });
    expect(fakes.live(0).serving).toBe('v2');
  });

  it('kills and restarts a worker that rejects the committed snapshot', async () => {
    expect.assertions(2);
    fakes.behaviourFor = (index, generation) => (index === 0 && generation === 1 ? { prepare: 'nack' } : {});
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fakes.live(0).exit(1);
    await log.until((l) => l.msg === 'worker rejected the committed snapshot');
    await log.untilCount('worker ready', 3);
    expect(fakes.generations(0)[1]?.signals).toEqual(['SIGKILL']);
    expect(fakes.generations(0)[2]?.serving).toBe('v1');
  });

  it('restarts a worker that acked but never confirmed the commit', async () => {
    expect.assertions(2);
    const fleet = makeFleet();
    await fleet.start();
    fakes.live(0).behaviour.confirmCommit = false;
    const first = fakes.live(0);
    await fleet.apply(bytesOf('v1'), 'v1', { timeoutMs: 20 });
    await log.untilCount('worker ready', 2);
    expect(first.signals).toEqual(['SIGKILL']);
    await expect(fleet.whenServing('v1')).resolves.toBe(true);
  });

  it('drains: every worker is told, exits, and is not restarted', async () => {
    expect.assertions(4);
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    await fleet.drain(5_000);
    expect(fakes.all.map((w) => w.types.at(-1))).toEqual(['weir:drain', 'weir:drain']);
    expect(fakes.all).toHaveLength(2);
    expect(fleet.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    expect(log.withMsg('worker exited').map((l) => l['restartInMs'])).toEqual([null, null]);
  });

  it('kills workers that outlive the drain timeout', async () => {
    expect.assertions(2);
    fakes.behaviourFor = () => ({ drainExits: false });
    const fleet = makeFleet();
    await fleet.start();
    await fleet.drain(5);
    expect(fakes.all.map((w) => w.signals)).toEqual([['SIGKILL'], ['SIGKILL']]);
    expect(fakes.all.every((w) => !w.alive)).toBe(true);
  });

  it('refuses applies once draining and resolves pending waits with false', async () => {
    expect.assertions(2);
    const fleet = makeFleet();
    await fleet.start();
    const serving = fleet.whenServing('v9');
    await fleet.drain(10);
    await expect(serving).resolves.toBe(false);
    await expect(fleet.apply(bytesOf('v1'), 'v1')).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING' });
  });

  it('collects stats from ready workers', async () => {
    expect.assertions(1);
    const fleet = makeFleet();
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    const stats = await fleet.stats();
    expect(stats.sort((a, b) => a.pid - b.pid)).toEqual(fakes.all.map((w) => ({ index: w.index, pid: w.pid, version: 'v1', inFlight: 2, candidateVersion: null, candidatePercent: 0 })));
  });

  it('rejects a worker count below one', () => {
    expect(() => makeFleet({ workers: 0 })).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});
