import { Fleet } from '../../src/fleet/index';
import { isPrimaryMessage, type HealthMessage } from '../../src/protocol/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf } from '../support/fake-workers';

const DOWN = { upstream: 'api', address: '127.0.0.1:9001', healthy: false };
const UP = { upstream: 'api', address: '127.0.0.1:9002', healthy: true };

describe('Fleet health publishing', () => {
  let fleet: Fleet;
  let fakes: FakeWorkers;
  let log: CapturedLog;

  beforeEach(() => {
    fakes = new FakeWorkers();
    log = new CapturedLog();
    fleet = new Fleet({ workers: 2, logger: log.logger, spawn: fakes.spawn, backoff: { initialMs: 1, maxMs: 8 }, drainGraceMs: 10 });
  });

  afterEach(async () => {
    await fleet.drain(0);
  });

  it('sends health updates to every serving worker', async () => {
    expect.assertions(3);
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fleet.publishHealth([DOWN]);
    for (const index of [0, 1]) {
      const last = fakes.live(index).received.at(-1) as HealthMessage;
      expect(last).toEqual({ type: 'weir:health', updates: [DOWN] });
    }
    expect(isPrimaryMessage(fakes.live(0).received.at(-1))).toBe(true);
  });

  it('hands a restarted worker the whole table between its prepare and its commit', async () => {
    expect.assertions(2);
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fleet.publishHealth([DOWN, UP], true);
    fleet.publishHealth([{ ...DOWN, healthy: true }]);
    const old = fakes.live(1);
    old.exit(1);
    await log.untilCount('worker ready', 3);
    const fresh = fakes.live(1);
    expect(fresh).not.toBe(old);
    expect(fresh.received.map((m) => (m.type === 'weir:health' ? m.updates : m.type))).toEqual([
      'weir:prepare',
      [{ ...DOWN, healthy: true }, UP],
      'weir:commit',
    ]);
  });

  it('replaces the table, so endpoints no longer checked are forgotten', async () => {
    expect.assertions(2);
    await fleet.start();
    fleet.publishHealth([DOWN, UP], true);
    fleet.publishHealth([UP], true);
    expect(fleet.healthTable()).toEqual([UP]);
    // Before any snapshot a worker gets no table with its (absent) sync.
    expect(fakes.live(0).types).toEqual(['weir:health', 'weir:health']);
  });

  it('sends nothing for an empty change and nothing while draining', async () => {
    expect.assertions(1);
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
    fleet.publishHealth([]);
    const drained = fleet.drain(0);
    fleet.publishHealth([DOWN]);
    await drained;
    expect(fakes.all.every((w) => !w.types.includes('weir:health'))).toBe(true);
  });
});
