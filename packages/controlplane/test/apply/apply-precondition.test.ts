import { WeirError } from '@weir/errors';
import { ApplyManager, InlineSpecBuilder } from '../../src/apply/index';
import { CapturedLog } from '../support/captured-log';
import { FakeFleet } from './fake-fleet';

function config(body: string): Record<string, unknown> {
  return { listeners: [{ name: 'main', port: 0 }], routes: [{ name: 'r', directResponse: { status: 200, body } }] };
}

/** The two hooks the admin API needs: `precondition` (If-Match) and `check` (validate only). */
describe('ApplyManager precondition and check', () => {
  let log: CapturedLog;
  let fleet: FakeFleet;
  let manager: ApplyManager;

  beforeEach(() => {
    log = new CapturedLog();
    fleet = new FakeFleet();
    manager = new ApplyManager({ fleet, logger: log.logger, builder: new InlineSpecBuilder() });
  });

  afterEach(async () => {
    await manager.close();
  });

  it('runs the precondition in the queue, against the config running at that moment', async () => {
    expect.assertions(4);
    await manager.apply(config('one'), 'file');
    const seen: (string | null)[] = [];
    const arrived = fleet.hold();
    const a = manager.apply(config('two'), 'admin', { precondition: (running) => void seen.push(running?.spec.version ?? null) });
    await arrived;
    const b = manager.apply(config('three'), 'admin', {
      precondition: (running) => {
        seen.push(running?.spec.version ?? null);
        throw new WeirError('WEIR_ERR_ADMIN_PRECONDITION_FAILED', 'moved');
      },
    });
    fleet.release();
    const [first] = await Promise.all([a, b.catch((err: unknown) => err)]);
    await expect(b).rejects.toMatchObject({ code: 'WEIR_ERR_ADMIN_PRECONDITION_FAILED' });
    expect(seen).toEqual([expect.stringMatching(/^v-/), first.version]);
    // Not a rejected config: not logged as one, not the last apply.
    expect(log.withMsg('config rejected')).toEqual([]);
    expect(manager.lastApply).toMatchObject({ outcome: 'applied', version: first.version });
  });

  it('check validates and builds without applying or logging', async () => {
    expect.assertions(4);
    const checked = await manager.check(config('x'));
    expect(checked.spec.version).toMatch(/^v-/);
    expect(fleet.calls).toHaveLength(0);
    await expect(manager.check({ listeners: [] })).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
    expect(log.lines).toEqual([]);
  });
});
