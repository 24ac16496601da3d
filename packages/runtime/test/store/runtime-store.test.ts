import { RuntimeStore } from '@weir/runtime';

/** A runtime that records when it is retired into a shared log. */
class FakeRuntime {
  retired = 0;
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly behaviour: 'ok' | 'throw' | 'reject' | 'async' = 'ok',
  ) {}

  retire(): void | Promise<void> {
    this.retired++;
    this.log.push(`retire ${this.name}`);
    if (this.behaviour === 'throw') throw new Error(`retire ${this.name} failed`);
    if (this.behaviour === 'reject') return Promise.reject(new Error(`retire ${this.name} rejected`));
    if (this.behaviour === 'async') return Promise.resolve().then(() => void this.log.push(`retired ${this.name}`));
    return undefined;
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('RuntimeStore', () => {
  let log: string[];
  let store: RuntimeStore<FakeRuntime>;

  beforeEach(() => {
    log = [];
    store = new RuntimeStore<FakeRuntime>();
  });

  it('has no runtime before the first publish, and acquire throws WEIR_ERR_INTERNAL', () => {
    expect(store.current()).toBeNull();
    expect(codeOf(() => store.acquire())).toBe('WEIR_ERR_INTERNAL');
    expect(store.inFlight()).toBe(0);
  });

  it('acquires the current runtime and counts requests in flight', () => {
    const v1 = new FakeRuntime('v1', log);
    store.publish(v1);
    expect(store.current()).toBe(v1);
    const a = store.acquire();
    const b = store.acquire();
    expect(a).toBe(v1);
    expect(b).toBe(v1);
    expect(store.inFlight()).toBe(2);
    store.release(a);
    store.release(b);
    expect(store.inFlight()).toBe(0);
    expect(log).toEqual([]);
  });

  it('retires a superseded runtime at once when nothing holds it', () => {
    const v1 = new FakeRuntime('v1', log);
    const v2 = new FakeRuntime('v2', log);
    store.publish(v1);
    store.publish(v2);
    expect(log).toEqual(['retire v1']);
    expect(store.current()).toBe(v2);
    expect(store.drainingCount()).toBe(0);
  });

  it('retires a superseded runtime only after its last release, exactly once', () => {
    const v1 = new FakeRuntime('v1', log);
    const v2 = new FakeRuntime('v2', log);
    store.publish(v1);
    const r1 = store.acquire();
    const r2 = store.acquire();
    store.publish(v2);
    // Publishing while requests are in flight: new requests get v2, old ones keep v1.
    const r3 = store.acquire();
    expect(r3).toBe(v2);
    expect(store.inFlight()).toBe(3);
    expect(store.drainingCount()).toBe(1);
    store.release(r1);
    expect(v1.retired).toBe(0);
    store.release(r2);
    expect(v1.retired).toBe(1);
    expect(store.drainingCount()).toBe(0);
    store.release(r1);
    store.release(r3);
    expect(v1.retired).toBe(1);
    expect(v2.retired).toBe(0);
    expect(store.inFlight()).toBe(0);
  });

  it('drains several superseded versions independently, in release order', () => {
    const [v1, v2, v3] = ['v1', 'v2', 'v3'].map((n) => new FakeRuntime(n, log)) as [FakeRuntime, FakeRuntime, FakeRuntime];
    store.publish(v1);
    const held1 = store.acquire();
    store.publish(v2);
    const held2 = store.acquire();
    store.publish(v3);
    expect(store.drainingCount()).toBe(2);
    store.release(held2);
    store.release(held1);
    expect(log).toEqual(['retire v2', 'retire v1']);
    expect(store.current()).toBe(v3);
  });

  it('ignores releases of runtimes it does not hold, and counts never go negative', () => {
    const v1 = new FakeRuntime('v1', log);
    store.publish(v1);
    store.release(v1);
    store.release(new FakeRuntime('stranger', log));
    expect(store.inFlight()).toBe(0);
    const r = store.acquire();
    expect(store.inFlight()).toBe(1);
    store.release(r);
    expect(store.inFlight()).toBe(0);
  });

  it('treats publishing the current runtime again as a no-op', () => {
    const v1 = new FakeRuntime('v1', log);
    store.publish(v1);
    const r = store.acquire();
    store.publish(v1);
    expect(log).toEqual([]);
    expect(store.inFlight()).toBe(1);
    store.release(r);
    expect(store.inFlight()).toBe(0);
  });

  it('makes a draining runtime current again with its count intact (rollback)', () => {
    const v1 = new FakeRuntime('v1', log);
    const v2 = new FakeRuntime('v2', log);
    store.publish(v1);
    const r = store.acquire();
    store.publish(v2);
    store.publish(v1);
    expect(log).toEqual(['retire v2']);
    expect(store.current()).toBe(v1);
    expect(store.drainingCount()).toBe(0);
    store.release(r);
    expect(v1.retired).toBe(0);
    expect(store.inFlight()).toBe(0);
  });

  it('withdraws the current runtime: nothing to acquire, retired after its last release', () => {
    const v1 = new FakeRuntime('v1', log);
    store.publish(v1);
    const held = store.acquire();
    store.withdraw();
    expect(store.current()).toBeNull();
    expect(codeOf(() => store.acquire())).toBe('WEIR_ERR_INTERNAL');
    expect(log).toEqual([]);
    store.release(held);
    expect(log).toEqual(['retire v1']);
    const v2 = new FakeRuntime('v2', log);
    store.publish(v2);
    store.withdraw();
    store.withdraw();
    expect(log).toEqual(['retire v1', 'retire v2']);
  });

  it('refuses to publish a retired runtime', () => {
    const v1 = new FakeRuntime('v1', log);
    store.publish(v1);
    store.publish(new FakeRuntime('v2', log));
    expect(codeOf(() => store.publish(v1))).toBe('WEIR_ERR_INTERNAL');
  });

  it('reports a throwing retire through onRetireError and never throws from release', () => {
    const errors: [string, string][] = [];
    const reporting = new RuntimeStore<FakeRuntime>({ onRetireError: (err, rt) => errors.push([rt.name, (err as Error).message]) });
    const bad = new FakeRuntime('bad', log, 'throw');
    reporting.publish(bad);
    const r = reporting.acquire();
    reporting.publish(new FakeRuntime('v2', log));
    expect(() => reporting.release(r)).not.toThrow();
    expect(errors).toEqual([['bad', 'retire bad failed']]);
  });

  it('ignores retire errors when there is no reporter, and survives a throwing reporter', async () => {
    expect.assertions(2);
    store.publish(new FakeRuntime('bad', log, 'throw'));
    expect(() => store.publish(new FakeRuntime('v2', log))).not.toThrow();
    const throwing = new RuntimeStore<FakeRuntime>({
      onRetireError: () => {
        throw new Error('reporter broke');
      },
    });
    throwing.publish(new FakeRuntime('rejects', log, 'reject'));
    throwing.publish(new FakeRuntime('throws', log, 'throw'));
    await expect(throwing.retireAll()).resolves.toBeUndefined();
  });

  it('reports a rejected retire promise, and retireAll waits for it', async () => {
    expect.assertions(2);
    const errors: string[] = [];
    const reporting = new RuntimeStore<FakeRuntime>({ onRetireError: (err) => errors.push((err as Error).message) });
    reporting.publish(new FakeRuntime('bad', log, 'reject'));
    reporting.publish(new FakeRuntime('v2', log));
    await reporting.retireAll();
    expect(errors).toEqual(['retire bad rejected']);
    expect(log).toEqual(['retire bad', 'retire v2']);
  });

  it('retireAll retires held, draining and current runtimes once, and waits for async retires', async () => {
    expect.assertions(6);
    const v1 = new FakeRuntime('v1', log, 'async');
    const v2 = new FakeRuntime('v2', log, 'async');
    store.publish(v1);
    const held = store.acquire();
    store.publish(v2);
    store.acquire();
    await store.retireAll();
    expect(log).toEqual(['retire v1', 'retire v2', 'retired v1', 'retired v2']);
    expect(store.current()).toBeNull();
    expect(store.inFlight()).toBe(0);
    store.release(held);
    expect(v1.retired).toBe(1);
    expect(store.inFlight()).toBe(0);
    expect(codeOf(() => store.acquire())).toBe('WEIR_ERR_INTERNAL');
  });

  it('retireAll also waits for retirements already running', async () => {
    expect.assertions(1);
    store.publish(new FakeRuntime('v1', log, 'async'));
    store.publish(new FakeRuntime('v2', log));
    await store.retireAll();
    expect(log).toEqual(['retire v1', 'retire v2', 'retired v1']);
  });

  it('retireAll on an empty store resolves', async () => {
    expect.assertions(1);
    await expect(store.retireAll()).resolves.toBeUndefined();
  });
});
