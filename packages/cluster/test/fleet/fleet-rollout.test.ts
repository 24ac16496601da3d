import { Fleet } from '../../src/fleet/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf } from '../support/fake-workers';

/** The fleet's side of rollouts: the candidate's two-phase apply, the split, and restarts. */
describe('Fleet rollouts (fake workers)', () => {
  let fleet: Fleet;
  let fakes: FakeWorkers;
  let log: CapturedLog;

  beforeEach(async () => {
    fakes = new FakeWorkers();
    log = new CapturedLog();
    fleet = new Fleet({ workers: 2, logger: log.logger, spawn: fakes.spawn, backoff: { initialMs: 1, maxMs: 8 }, drainGraceMs: 10 });
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
  });

  afterEach(async () => {
    await fleet.drain(0);
  });

  const sticky = { kind: 'header' as const, name: 'x-user' };

  it('prepares the candidate on every worker beside the committed version, then splits', async () => {
    expect.assertions(4);
    await fleet.applyCandidate(bytesOf('v2'), 'v2');
    await fleet.split({ percent: 10, sticky });
    // Stats go over the same ordered channels: once answered, every split was processed.
    await fleet.stats();
    expect(fleet.candidateVersion).toBe('v2');
    expect([0, 1].map((i) => [fakes.live(i).serving, fakes.live(i).candidate, fakes.live(i).percent])).toEqual([
      ['v1', 'v2', 10],
      ['v1', 'v2', 10],
    ]);
    expect(fakes.live(0).received.slice(2).map((m) => (m.type === 'weir:prepare' ? `prepare ${m.target ?? 'stable'}` : m.type))).toEqual([
      'prepare candidate',
      'weir:commit',
      'weir:split',
      'weir:stats',
    ]);
    // The committed version is still the stable one.
    expect(fleet.committedVersion).toBe('v1');
  });

  it('hands a restarted worker the committed version, then the candidate and its split', async () => {
    expect.assertions(2);
    await fleet.applyCandidate(bytesOf('v2'), 'v2');
    await fleet.split({ percent: 50, sticky: null });
    fakes.live(1).exit(1);
    await log.untilCount('worker ready', 3);
    // Queued behind the restarted worker's sync, so awaiting it waits for the candidate's sync;
    // the stats round trip then waits for the worker to process every message.
    await fleet.split({ percent: 50, sticky: null });
    await fleet.stats();
    const fresh = fakes.live(1);
    expect(fresh.received.map((m) => (m.type === 'weir:prepare' ? `prepare ${m.target ?? 'stable'}` : m.type)).slice(0, 5)).toEqual([
      'prepare stable',
      'weir:commit',
      'prepare candidate',
      'weir:commit',
      'weir:split',
    ]);
    expect([fresh.serving, fresh.candidate, fresh.percent]).toEqual(['v1', 'v2', 50]);
  });

  it('forgets the candidate on a drop or a stable apply; later restarts get the stable version only', async () => {
    expect.assertions(4);
    await fleet.applyCandidate(bytesOf('v2'), 'v2');
    await fleet.dropCandidate();
    await fleet.stats();
    expect([fleet.candidateVersion, fakes.live(0).candidate]).toEqual([null, null]);
    await fleet.applyCandidate(bytesOf('v3'), 'v3');
    await fleet.apply(bytesOf('v3'), 'v3');
    expect([fleet.candidateVersion, fleet.committedVersion]).toEqual([null, 'v3']);
    fakes.live(0).exit(1);
    await log.untilCount('worker ready', 3);
    const fresh = fakes.live(0);
    expect(fresh.types).toEqual(['weir:prepare', 'weir:commit']);
    expect([fresh.serving, fresh.candidate]).toEqual(['v3', null]);
  });

  it('rejects a candidate a worker refuses: every worker aborts it and none holds it', async () => {
    expect.assertions(3);
    fakes.live(1).behaviour.prepare = 'nack';
    await expect(fleet.applyCandidate(bytesOf('v2'), 'v2')).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    expect(fleet.candidateVersion).toBeNull();
    expect(fakes.live(0).types.slice(-2)).toEqual(['weir:prepare', 'weir:abort']);
  });
});
