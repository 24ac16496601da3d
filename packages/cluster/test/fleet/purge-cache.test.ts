import { WeirError } from '@weir/errors';
import { Fleet } from '../../src/fleet/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf } from '../support/fake-workers';

/** `Fleet.purgeCache` (issue 10): one `weir:cache-purge` round trip per worker, over the IPC protocol. */
describe('Fleet.purgeCache (fake workers)', () => {
  let fleet: Fleet;
  let fakes: FakeWorkers;

  beforeEach(async () => {
    fakes = new FakeWorkers();
    fleet = new Fleet({ workers: 2, logger: new CapturedLog().logger, spawn: fakes.spawn, backoff: { initialMs: 1, maxMs: 8 }, drainGraceMs: 10 });
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
  });

  afterEach(async () => {
    await fleet.drain(0);
  });

  it('asks every worker and reports what each removed, by slot', async () => {
    expect.assertions(3);
    fakes.live(0).purges = 2;
    fakes.live(1).purges = 5;
    const result = await fleet.purgeCache('api', { prefix: 'http://example.com/api/' }, 5_000);
    expect(result).toEqual({
      workers: [
        { index: 0, pid: fakes.live(0).pid, purged: 2 },
        { index: 1, pid: fakes.live(1).pid, purged: 5 },
      ],
      missing: [],
      exited: [],
    });
    expect(fakes.live(0).received.at(-1)).toEqual({ type: 'weir:cache-purge', id: expect.any(Number), route: 'api', prefix: 'http://example.com/api/' });
    await fleet.purgeCache('api', { key: 'http://example.com/a?b=1' });
    expect(fakes.live(1).received.at(-1)).toEqual({ type: 'weir:cache-purge', id: expect.any(Number), route: 'api', key: 'http://example.com/a?b=1' });
  });

  it('names the workers that did not acknowledge in time', async () => {
    expect.assertions(1);
    fakes.live(1).behaviour.answerPurge = false;
    fakes.live(0).purges = 1;
    const result = await fleet.purgeCache('api', { key: 'http://example.com/' }, 20);
    expect(result).toEqual({ workers: [{ index: 0, pid: fakes.live(0).pid, purged: 1 }], missing: [{ index: 1, pid: fakes.live(1).pid }], exited: [] });
  });

  it('stops waiting for a worker that exits, and reports it apart (its cache went with it)', async () => {
    expect.assertions(1);
    const leaving = fakes.live(1);
    leaving.behaviour.answerPurge = false;
    const purge = fleet.purgeCache('api', { key: 'http://example.com/' }, 60_000);
    leaving.exit(1);
    expect(await purge).toEqual({ workers: [{ index: 0, pid: fakes.live(0).pid, purged: 0 }], missing: [], exited: [{ index: 1, pid: leaving.pid }] });
  });

  it('keeps overlapping purges apart', async () => {
    expect.assertions(2);
    fakes.live(0).purges = 3;
    const [a, b] = await Promise.all([fleet.purgeCache('a', { key: 'http://x/' }), fleet.purgeCache('b', { prefix: 'http://x/' })]);
    expect(a.workers.map((w) => w.purged)).toEqual([3, 0]);
    expect(b.workers.map((w) => w.purged)).toEqual([3, 0]);
  });

  it('refuses once the fleet drains', async () => {
    expect.assertions(1);
    await fleet.drain(0);
    await expect(fleet.purgeCache('api', { key: 'http://x/' })).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING', constructor: WeirError });
  });
});

describe('Fleet.purgeCache without workers to ask', () => {
  it('resolves at once with nobody asked (a worker that starts later starts with an empty cache)', async () => {
    expect.assertions(1);
    const fakes = new FakeWorkers();
    fakes.behaviourFor = () => ({ hello: false });
    const fleet = new Fleet({ workers: 1, logger: new CapturedLog().logger, spawn: fakes.spawn, startTimeoutMs: 1, drainGraceMs: 1 });
    await fleet.start();
    expect(await fleet.purgeCache('api', { key: 'http://x/' }, 60_000)).toEqual({ workers: [], missing: [], exited: [] });
    fakes.live(0).exit(0);
    await fleet.drain(0);
  });
});
