import { WeirError } from '@weir/errors';
import { buildSpec, decodeSpec } from '@weir/runtime';
import { ApplyManager, InlineSpecBuilder } from '../../src/apply/index';
import { CapturedLog } from '../support/captured-log';
import { FakeFleet, LISTENERS } from './fake-fleet';

function config(body: string): Record<string, unknown> {
  return {
    workers: 2,
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [{ name: 'hello', directResponse: { status: 200, body } }],
  };
}

describe('ApplyManager', () => {
  let log: CapturedLog;
  let fleet: FakeFleet;
  let manager: ApplyManager;

  beforeEach(() => {
    log = new CapturedLog();
    fleet = new FakeFleet();
    manager = new ApplyManager({ fleet, logger: log.logger, builder: new InlineSpecBuilder(), applyTimeoutMs: 1234 });
  });

  afterEach(async () => {
    await manager.close();
  });

  it('validates, builds, encodes and applies a config', async () => {
    expect.assertions(6);
    const outcome = await manager.apply(config('one'), 'file');
    const expected = buildSpec(config('one') as never);
    expect(outcome).toMatchObject({ changed: true, version: expected.version, hash: expected.hash, listeners: LISTENERS });
    expect(fleet.calls).toHaveLength(1);
    expect(decodeSpec(fleet.calls[0]?.bytes ?? new Uint8Array()).hash).toBe(expected.hash);
    expect(fleet.calls[0]?.timeoutMs).toBe(1234);
    expect(manager.current).toMatchObject({ source: 'file', spec: { hash: expected.hash }, listeners: LISTENERS });
    expect(log.withMsg('config applied')).toEqual([
      expect.objectContaining({ level: 'info', version: expected.version, source: 'file', durationMs: expect.any(Number) }),
    ]);
  });

  it('runs the compose step in the queue, and applies and records what it returns', async () => {
    expect.assertions(4);
    const seen: string[] = [];
    manager.setCompose((given, source) => {
      seen.push(source);
      return source === 'file' ? config('composed') : given;
    });
    await manager.apply(config('as given'), 'file');
    expect((manager.current?.config.routes[0] as { directResponse: { body: string } }).directResponse.body).toBe('composed');
    await manager.apply(config('admin'), 'admin');
    expect((manager.current?.config.routes[0] as { directResponse: { body: string } }).directResponse.body).toBe('admin');
    manager.setCompose(null);
    await manager.apply(config('plain'), 'file');
    expect((manager.current?.config.routes[0] as { directResponse: { body: string } }).directResponse.body).toBe('plain');
    expect(seen).toEqual(['file', 'admin']);
  });

  it('never sends an invalid config to the fleet, and reports every problem', async () => {
    expect.assertions(4);
    const bad = { listeners: [{ name: 'main', port: 70000 }], routes: [{ name: 'r', upstream: 'missing' }] };
    const err = await manager.apply(bad, 'admin').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
    expect(fleet.calls).toHaveLength(0);
    expect(manager.current).toBeNull();
    expect(log.withMsg('config rejected')).toEqual([
      expect.objectContaining({
        level: 'error',
        source: 'admin',
        code: 'WEIR_ERR_CONFIG_INVALID',
        details: expect.arrayContaining([expect.objectContaining({ pointer: expect.stringMatching(/^\/listeners\/0/) })]),
      }),
    ]);
  });

  it('treats a config with the running hash as a no-op', async () => {
    expect.assertions(3);
    const first = await manager.apply(config('same'), 'file');
    const reordered = { routes: config('same')['routes'], listeners: config('same')['listeners'], workers: 2 };
    const second = await manager.apply(reordered, 'file');
    expect(second).toMatchObject({ changed: false, version: first.version, hash: first.hash });
    expect(fleet.calls).toHaveLength(1);
    expect(log.withMsg('config unchanged')).toHaveLength(1);
  });

  it('keeps the running config when a worker rejects the new one', async () => {
    expect.assertions(3);
    const first = await manager.apply(config('one'), 'file');
    fleet.failWith = new WeirError('WEIR_ERR_APPLY_REJECTED', 'worker 42 rejected');
    await expect(manager.apply(config('two'), 'file')).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    expect(manager.current?.spec.hash).toBe(first.hash);
    expect(log.withMsg('config rejected')).toEqual([expect.objectContaining({ source: 'file', code: 'WEIR_ERR_APPLY_REJECTED' })]);
  });

  it('wraps an unexpected failure as WEIR_ERR_INTERNAL', async () => {
    expect.assertions(1);
    fleet.failWith = new Error('boom');
    await expect(manager.apply(config('one'), 'bundle')).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
  });

  it('runs applies one at a time, in call order', async () => {
    expect.assertions(2);
    const arrived = fleet.hold();
    const a = manager.apply(config('a'), 'admin');
    const b = manager.apply(config('b'), 'admin');
    await arrived;
    expect(fleet.events).toHaveLength(1);
    fleet.release();
    await Promise.all([a, b]);
    expect(fleet.events.map((e) => e.split(' ')[0])).toEqual(['start', 'end', 'start', 'end']);
  });

  it('refuses applies after close', async () => {
    expect.assertions(2);
    await manager.close();
    await expect(manager.apply(config('one'), 'file')).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING' });
    expect(fleet.calls).toHaveLength(0);
  });
});
