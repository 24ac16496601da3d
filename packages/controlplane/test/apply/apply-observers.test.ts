import { WeirError } from '@weir/errors';
import { ApplyManager, InlineSpecBuilder, type ApplyEvent, type CommittedApply } from '../../src/apply/index';
import { CapturedLog } from '../support/captured-log';
import { FakeFleet } from './fake-fleet';

/**
 * What the apply manager tells the rest of the primary: `lastApply` for the status page, the
 * commit hook (the daemon persists each committed version there, before `apply` resolves) and
 * the finish hook (metrics), for every source and outcome.
 */
function config(body: string): Record<string, unknown> {
  return { listeners: [{ name: 'main', port: 0 }], routes: [{ name: 'hello', directResponse: { status: 200, body } }] };
}

describe('ApplyManager observers', () => {
  let log: CapturedLog;
  let fleet: FakeFleet;
  let events: ApplyEvent[];
  let commits: CommittedApply[];
  let now: number;
  let manager: ApplyManager;

  const create = (onCommitted?: (c: CommittedApply) => Promise<void>): ApplyManager =>
    new ApplyManager({
      fleet,
      logger: log.logger,
      builder: new InlineSpecBuilder(),
      now: () => now,
      wallClock: () => Date.UTC(2025, 5, 1),
      onFinished: (event) => void events.push(event),
      onCommitted: onCommitted ?? (async (c) => void commits.push(c)),
    });

  beforeEach(() => {
    log = new CapturedLog();
    fleet = new FakeFleet();
    events = [];
    commits = [];
    now = 1000;
    manager = create();
  });

  afterEach(async () => {
    await manager.close();
  });

  it('starts with no last apply', () => {
    expect(manager.lastApply).toBeNull();
  });

  it('reports an applied config: last apply, commit hook with principal and file mark, finish event', async () => {
    expect.assertions(4);
    const outcome = await manager.apply(config('a'), 'admin', { principal: 'ci', file: { path: '/x.json', hash: 'h' } });
    expect(manager.lastApply).toEqual({
      version: outcome.version,
      source: 'admin',
      principal: 'ci',
      outcome: 'applied',
      at: '2025-06-01T00:00:00.000Z',
      durationMs: 0,
    });
    expect(commits).toEqual([{ applied: expect.objectContaining({ source: 'admin', principal: 'ci', spec: outcome.spec }), file: { path: '/x.json', hash: 'h' } }]);
    expect(events).toEqual([{ source: 'admin', outcome: 'applied', seconds: 0 }]);
    expect(manager.current?.principal).toBe('ci');
  });

  it('reports unchanged and rejected applies, keeping the running version', async () => {
    expect.assertions(4);
    const first = await manager.apply(config('a'), 'file');
    await manager.apply(config('a'), 'file');
    expect(manager.lastApply).toMatchObject({ outcome: 'unchanged', version: first.version, source: 'file', principal: null });
    fleet.failWith = new WeirError('WEIR_ERR_APPLY_REJECTED', 'worker 7 said no');
    await expect(manager.apply(config('b'), 'rollback', { principal: 'ops' })).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    expect(manager.lastApply).toMatchObject({
      outcome: 'rejected',
      source: 'rollback',
      principal: 'ops',
      version: expect.stringMatching(/^v-/),
      error: { code: 'WEIR_ERR_APPLY_REJECTED', message: 'worker 7 said no' },
    });
    expect(events.map((e) => [e.source, e.outcome, e.code])).toEqual([
      ['file', 'applied', undefined],
      ['file', 'unchanged', undefined],
      ['rollback', 'rejected', 'WEIR_ERR_APPLY_REJECTED'],
    ]);
  });

  it('names no version for a config that never built', async () => {
    expect.assertions(2);
    await expect(manager.apply({ routes: 'nope' }, 'admin')).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
    expect(manager.lastApply).toMatchObject({ outcome: 'rejected', version: null, error: { code: 'WEIR_ERR_CONFIG_INVALID' } });
  });

  it('measures the duration to the commit, not including the commit hook', async () => {
    expect.assertions(2);
    await manager.close();
    manager = create(async () => {
      now += 5000; // a slow disk
    });
    fleet.apply = async (_bytes, version) => {
      now += 250;
      return { version, listeners: [] };
    };
    await manager.apply(config('slow'), 'admin');
    expect(events).toEqual([{ source: 'admin', outcome: 'applied', seconds: 0.25 }]);
    expect(manager.lastApply?.durationMs).toBe(250);
  });

  it('logs a failing commit hook and still resolves: the workers already serve the version', async () => {
    expect.assertions(3);
    await manager.close();
    manager = create(async () => {
      throw new WeirError('WEIR_ERR_STATE_IO', 'disk full');
    });
    await expect(manager.apply(config('a'), 'admin')).resolves.toMatchObject({ changed: true });
    expect(manager.lastApply?.outcome).toBe('applied');
    expect(log.withMsg('state write failed')).toEqual([expect.objectContaining({ level: 'error' })]);
  });
});
