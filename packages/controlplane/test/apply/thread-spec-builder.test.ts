import { buildSpec, decodeSpec } from '@weir/runtime';
import type { WeirConfig } from '@weir/config';
import { ApplyManager, ThreadSpecBuilder } from '../../src/apply/index';
import { CapturedLog } from '../support/captured-log';
import { FakeFleet } from './fake-fleet';

/**
 * The piscina thread loads the compiled task file (dist/apply/build-task.js), so these tests
 * need `tsc -b` to have run; `npm test` does that first.
 */
const CONFIG: WeirConfig = {
  listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
  routes: [
    { name: 'api', match: { hosts: ['API.example.com'], path: { prefix: '/api' } }, upstream: 'app' },
    { name: 'hello', directResponse: { status: 200, body: 'hi' } },
  ],
  upstreams: [{ name: 'app', endpoints: [{ address: '127.0.0.1:9000' }, { address: '127.0.0.1:9001', weight: 3 }] }],
};

describe('ThreadSpecBuilder', () => {
  const builder = new ThreadSpecBuilder();

  afterAll(async () => {
    await builder.close();
  });

  it('keeps one warm thread for small specs and replaces it after a large one (its heap is returned)', async () => {
    expect.assertions(3);
    const small = new ThreadSpecBuilder();
    const recycling = new ThreadSpecBuilder(undefined, 1);
    try {
      await small.build(CONFIG);
      await small.build(CONFIG);
      expect(small.threadsStarted).toBe(1);
      await recycling.build(CONFIG);
      await recycling.build(CONFIG);
      expect(recycling.threadsStarted).toBe(2);
      expect(decodeSpec((await recycling.build(CONFIG)).bytes).version).toBe(buildSpec(CONFIG).version);
    } finally {
      await small.close();
      await recycling.close();
    }
  });

  it('lets the thread exit when no build came for idleMs, and starts one again for the next build', async () => {
    expect.assertions(4);
    const idle = new ThreadSpecBuilder(undefined, undefined, 20);
    try {
      expect(idle.threadsAlive).toBe(0);
      await idle.build(CONFIG);
      await idle.threadExited();
      expect(idle.threadsAlive).toBe(0);
      expect((await idle.build(CONFIG)).spec.version).toBe(buildSpec(CONFIG).version);
      expect(idle.threadsStarted).toBe(1);
    } finally {
      await idle.close();
    }
  });

  it('validates in the thread when asked: an invalid config comes back as WEIR_ERR_CONFIG_INVALID with every problem', async () => {
    expect.assertions(3);
    const invalid = { ...CONFIG, listeners: [{ name: 'main', address: '127.0.0.1', port: 70000 }], routes: [{ name: 'api', upstream: 'nowhere' }] };
    const err = await builder.build(invalid, { validate: true }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('WEIR_ERR_CONFIG_INVALID');
    expect((err as { details?: { pointer: string }[] }).details?.map((d) => d.pointer)).toEqual(['/listeners/0/port']);
    expect((await builder.build(CONFIG, { validate: true })).spec.version).toBe(buildSpec(CONFIG).version);
  });

  it('refuses a document over the shape limits before cloning it into the thread', async () => {
    expect.assertions(2);
    const log = new CapturedLog();
    const manager = new ApplyManager({ fleet: new FakeFleet(), logger: log.logger, builder });
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const err = await manager.apply({ ...CONFIG, 'x-deep': deep }, 'admin').catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('WEIR_ERR_CONFIG_INVALID');
    expect((err as { pointer?: string }).pointer).toMatch(/^\/x-deep(\/0){63}$/);
  });

  it('builds in the thread exactly what buildSpec builds in process', async () => {
    expect.assertions(4);
    const built = await builder.build(CONFIG);
    const local = buildSpec(CONFIG);
    expect(built.spec).toEqual(local);
    expect(decodeSpec(built.bytes)).toEqual(local);
    expect(Object.isFrozen(built.spec.routes[0]?.match)).toBe(true);
    expect((await builder.build(CONFIG, { version: 'release-7' })).spec).toMatchObject({ version: 'release-7', hash: local.hash });
  });

  it("keeps the thread's error code", async () => {
    expect.assertions(1);
    // Not validated on purpose: a route with no action is one of the facts buildSpec checks itself.
    const unbuildable = { listeners: CONFIG.listeners, routes: [{ name: 'nothing' }] } as WeirConfig;
    await expect(builder.build(unbuildable)).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
  });

  it('is the default builder of ApplyManager, and refuses builds once closed', async () => {
    expect.assertions(3);
    const fleet = new FakeFleet();
    const manager = new ApplyManager({ fleet, logger: new CapturedLog().logger });
    const outcome = await manager.apply(CONFIG, 'default');
    expect(outcome.hash).toBe(buildSpec(CONFIG).hash);
    await manager.close();
    await expect(manager.apply(CONFIG, 'default')).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING' });
    const closed = new ThreadSpecBuilder();
    await closed.close();
    await expect(closed.build(CONFIG)).rejects.toMatchObject({ code: 'WEIR_ERR_DRAINING' });
  });
});
