import { Fleet } from '../../src/fleet/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf, fakeMetrics } from '../support/fake-workers';

/** `Fleet.collectMetrics`: one `weir:metrics` round trip per attached worker, over the IPC protocol. */
describe('Fleet.collectMetrics (fake workers)', () => {
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

  it('asks every attached worker and returns each answer with its slot and pid', async () => {
    expect.assertions(2);
    fakes.live(0).requests = 3;
    fakes.live(1).requests = 4;
    const samples = await fleet.collectMetrics(5_000);
    expect(samples.sort((a, b) => a.index - b.index)).toEqual([
      { index: 0, pid: fakes.live(0).pid, metrics: fakeMetrics(3) },
      { index: 1, pid: fakes.live(1).pid, metrics: fakeMetrics(4) },
    ]);
    expect(fakes.live(0).types).toContain('weir:metrics');
  });

  it('stops waiting for a worker that exits during the scrape', async () => {
    expect.assertions(1);
    fakes.live(1).behaviour.answerMetrics = false;
    const scrape = fleet.collectMetrics(60_000);
    fakes.live(1).exit(1);
    const samples = await scrape;
    expect(samples.map((s) => s.index)).toEqual([0]);
  });

  it('leaves out a worker that does not answer in time', async () => {
    expect.assertions(1);
    fakes.live(0).behaviour.answerMetrics = false;
    const samples = await fleet.collectMetrics(20);
    expect(samples.map((s) => s.index)).toEqual([1]);
  });
});
