import type { WeirConfig } from '@weir/config';
import { createDataplaneMetrics, metricsToJSON, type DataplaneMetrics } from '@weir/obs';
import { ApplyManager, InlineSpecBuilder } from '../../src/apply/index';
import { RolloutManager, type RolloutRecord } from '../../src/rollout/index';
import { FakeFleet } from '../apply/fake-fleet';
import { configWith } from '../admin/support/admin-harness';
import { CapturedLog } from '../support/captured-log';

/** Rollout records kept in memory, as the state directory would. */
class MemoryPersistence {
  saved: RolloutRecord[] = [];
  constructor(private initial: RolloutRecord[] = []) {}
  async load(): Promise<RolloutRecord[]> {
    return JSON.parse(JSON.stringify(this.initial)) as RolloutRecord[];
  }
  async save(records: readonly RolloutRecord[]): Promise<void> {
    this.saved = JSON.parse(JSON.stringify(records)) as RolloutRecord[];
  }
}

/**
 * The rollout manager over a real apply manager (inline builds), a recording fleet, the real
 * request metrics of a fake worker (fed by the test) and a clock the test moves.
 */
describe('RolloutManager', () => {
  let log: CapturedLog;
  let fleet: FakeFleet;
  let applier: ApplyManager;
  let traffic: DataplaneMetrics;
  let persistence: MemoryPersistence;
  let manager: RolloutManager;
  let now: number;
  const transitions: string[] = [];

  async function setUp(initial: RolloutRecord[] = []): Promise<void> {
    log = new CapturedLog();
    fleet = new FakeFleet();
    applier = new ApplyManager({ fleet, logger: log.logger, builder: new InlineSpecBuilder() });
    await applier.apply(configWith('one'), 'file');
    traffic = createDataplaneMetrics();
    persistence = new MemoryPersistence(initial);
    now = Date.parse('2026-12-06T12:00:00Z');
    transitions.length = 0;
    manager = new RolloutManager({
      applier,
      fleet,
      metrics: () => metricsToJSON(traffic.registry),
      persistence,
      logger: log.logger,
      clock: () => now,
      tickMs: 0,
      onTransition: (e) => transitions.push(e),
    });
    await manager.init();
  }

  afterEach(async () => {
    manager.close();
    await applier.close();
  });

  function serve(arm: 'stable' | 'candidate', count: number, status = 200, seconds = 0.004): void {
    const h = traffic.requestLabels('hello', '', arm);
    for (let i = 0; i < count; i++) h.observe(status, seconds);
  }

  const stages = [{ percent: 10, bakeSeconds: 60 }, { percent: 100, bakeSeconds: 60 }];

  it('prepares the candidate, splits stage by stage, and promotes it as a normal apply', async () => {
    expect.assertions(7);
    await setUp();
    const started = await manager.start({ config: configWith('two'), stages, analysis: { minRequests: 5 } }, 'ci');
    expect(fleet.events.slice(-2)).toEqual([`candidate ${started.candidateVersion}`, 'split 10']);
    serve('stable', 50);
    serve('candidate', 5);
    now += 60_000;
    await manager.tick();
    expect(manager.current?.stage).toBe(1);
    serve('candidate', 5);
    now += 30_000;
    await manager.tick();
    expect(manager.current?.state).toBe('running');
    now += 30_000;
    await manager.tick();
    expect(manager.get(started.id)).toMatchObject({ state: 'promoted', outcome: { result: 'promoted', version: started.candidateVersion } });
    expect(applier.current).toMatchObject({ source: 'rollout', principal: 'ci', spec: { version: started.candidateVersion } });
    expect(transitions).toEqual(['started', 'advanced', 'promoted']);
    expect(persistence.saved[0]?.state).toBe('promoted');
  });

  it('aborts on a breach, drops the candidate, and lets applies through again', async () => {
    expect.assertions(6);
    await setUp();
    const started = await manager.start({ config: configWith('two'), stages }, 'ci');
    const refused = applier.apply(configWith('three'), 'admin');
    await expect(refused).rejects.toMatchObject({ code: 'WEIR_ERR_ROLLOUT_CONFLICT' });
    serve('stable', 200);
    serve('candidate', 30, 503);
    await manager.tick();
    const ended = manager.get(started.id);
    expect([ended.state, ended.outcome]).toEqual(['aborted', { result: 'aborted', by: 'analysis', reason: expect.stringMatching(/error rate 100.00%/) }]);
    expect(fleet.events[fleet.events.length - 1]).toBe('drop');
    expect(log.withMsg('admin audit').map((l) => l['event'])).toEqual(['started', 'aborted']);
    await expect(applier.apply(configWith('three'), 'admin')).resolves.toMatchObject({ changed: true });
    expect(manager.current).toBeNull();
  });

  it('refuses a second rollout, a candidate that changes listeners, an unchanged one and an invalid one', async () => {
    expect.assertions(5);
    await setUp();
    const listener: WeirConfig = { ...configWith('two'), listeners: [{ name: 'main', address: '127.0.0.1', port: 8081 }] };
    await expect(manager.start({ config: listener }, 'ci')).rejects.toMatchObject({ code: 'WEIR_ERR_ROLLOUT_UNSUPPORTED', message: expect.stringMatching(/listener "main"/) });
    await expect(manager.start({ config: configWith('one') }, 'ci')).rejects.toMatchObject({ code: 'WEIR_ERR_ROLLOUT_UNSUPPORTED' });
    await expect(manager.start({ config: { listeners: [] } }, 'ci')).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
    await manager.start({ config: configWith('two') }, 'ci');
    await expect(manager.start({ config: configWith('three') }, 'ci')).rejects.toMatchObject({ code: 'WEIR_ERR_ROLLOUT_CONFLICT' });
    expect(fleet.events.filter((e) => e.startsWith('candidate'))).toHaveLength(1);
  });

  it('aborts by apply-failed when the promotion apply is refused', async () => {
    expect.assertions(2);
    await setUp();
    const started = await manager.start({ config: configWith('two'), stages: [{ percent: 100, bakeSeconds: 1 }] }, 'ci');
    fleet.failWith = Object.assign(new Error('worker said no'), { code: 'WEIR_ERR_APPLY_REJECTED' });
    await manager.act(started.id, 'promote', 'ops', { full: true });
    const ended = manager.get(started.id);
    expect(ended.outcome).toMatchObject({ result: 'aborted', by: 'apply-failed' });
    expect(fleet.events[fleet.events.length - 1]).toBe('drop');
  });

  it('marks a rollout that was live at the last stop aborted by restart', async () => {
    expect.assertions(3);
    await setUp();
    const started = await manager.start({ config: configWith('two') }, 'ci');
    const kept = persistence.saved;
    manager.close();
    await applier.close();
    await setUp(kept);
    expect(manager.get(started.id)).toMatchObject({ state: 'aborted', outcome: { by: 'restart' } });
    expect(manager.current).toBeNull();
    const next = await manager.start({ config: configWith('two') }, 'ci');
    expect(Number(next.id)).toBeGreaterThan(Number(started.id));
  });

  it('answers a long poll at the next change, and at once for an ended rollout', async () => {
    expect.assertions(3);
    await setUp();
    const started = await manager.start({ config: configWith('two'), stages }, 'ci');
    const waiting = manager.wait(started.id, 30_000);
    await manager.act(started.id, 'pause', 'ops', undefined);
    expect((await waiting).state).toBe('paused');
    await manager.act(started.id, 'abort', 'ops', undefined);
    expect((await manager.wait(started.id, 30_000)).state).toBe('aborted');
    await expect(manager.act('99', 'abort', 'ops', undefined)).rejects.toMatchObject({ code: 'WEIR_ERR_ROLLOUT_NOT_FOUND' });
  });
});
