import { ADMITTED, LeaseClient, admittedResult, type LimitParams, type TakeResult } from '@weir/limits';
import { FakeClock } from './fake-clock';
import { FakeTransport } from './fake-transport';

const limit: LimitParams = { limitId: 'a1', ratePerSecond: 1000, burst: 1000, scope: 'host' };

function setup(options: ConstructorParameters<typeof LeaseClient>[2] = { workers: 4 }) {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const client = new LeaseClient(transport, clock.now, options);
  return { clock, transport, client };
}

/** Lets settled promises run their continuations. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LeaseClient', () => {
  it('asks for one batch, then answers synchronously from it with shared results', async () => {
    expect.assertions(8);
    const { transport, client } = setup();
    const first = client.take(limit, 'k');
    expect(first).toBeInstanceOf(Promise);
    expect(transport.requests).toEqual([{ limitId: 'a1', ratePerSecond: 1000, burst: 1000, scope: 'host', key: 'k', want: 5, atLeast: 5 }]);
    transport.answer(5, 0, 100);
    expect(await first).toBe(admittedResult(104));
    const second = client.take(limit, 'k');
    expect(second).toBe(admittedResult(103)); // synchronous, not a promise
    expect(Object.isFrozen(second)).toBe(true);
    client.take(limit, 'k');
    client.take(limit, 'k');
    expect(client.take(limit, 'k')).toBe(admittedResult(100));
    expect(client.take(limit, 'k')).toBeInstanceOf(Promise);
    expect(transport.requests).toHaveLength(2);
  });

  it('keeps one request in flight per key; concurrent takes wait on it', async () => {
    expect.assertions(4);
    const { transport, client } = setup();
    const takes = [client.take(limit, 'k'), client.take(limit, 'k'), client.take(limit, 'k')];
    client.take(limit, 'other');
    expect(transport.requests.map((r) => r.key)).toEqual(['k', 'other']);
    transport.answer(2);
    transport.answer(1); // 'other'
    await flush();
    // The third waiter found the batch spent and asked again, for the one take still waiting.
    expect(transport.requests).toHaveLength(3);
    expect(transport.requests[2]?.want).toBe(5);
    transport.answer(3, 0, 7);
    const results = (await Promise.all(takes)) as TakeResult[];
    expect(results.map((r) => r.admitted)).toEqual([true, true, true]);
  });

  it('sizes the next request to the takes still waiting', async () => {
    expect.assertions(2);
    const { transport, client } = setup();
    const takes: (TakeResult | Promise<TakeResult>)[] = [];
    for (let i = 0; i < 20; i++) takes.push(client.take(limit, 'k'));
    transport.answer(1);
    await flush();
    expect(transport.requests[1]?.want).toBe(19);
    transport.answer(19);
    const results = (await Promise.all(takes)) as TakeResult[];
    expect(results.every((r) => r.admitted)).toBe(true);
  });

  it('caches a denial until retryAfterMs, with no IPC meanwhile', async () => {
    expect.assertions(6);
    const { clock, transport, client } = setup();
    const first = client.take(limit, 'k');
    transport.answer(0, 1500);
    const denied = await first;
    expect(denied).toEqual({ admitted: false, remaining: 0, retryAfterSeconds: 2 });
    for (let i = 0; i < 1000; i++) client.take(limit, 'k');
    expect(client.take(limit, 'k')).toBe(denied);
    expect(transport.requests).toHaveLength(1);
    clock.advance(1499);
    expect(client.take(limit, 'k')).toBe(denied);
    clock.advance(1);
    expect(client.take(limit, 'k')).toBeInstanceOf(Promise);
    expect(transport.requests).toHaveLength(2);
  });

  it('hands back tokens older than the lease TTL, lazily on take', async () => {
    expect.assertions(4);
    const { clock, transport, client } = setup({ workers: 1, leaseTtlMs: 1000 });
    const first = client.take(limit, 'k');
    transport.answer(20);
    await first;
    clock.advance(1000);
    const next = client.take(limit, 'k');
    expect(transport.returns).toEqual([{ limitId: 'a1', key: 'k', scope: 'host', tokens: 19 }]);
    expect(next).toBeInstanceOf(Promise);
    transport.answer(20);
    expect((await next).admitted).toBe(true);
    expect(transport.requests).toHaveLength(2);
  });

  it('sweep hands back stale tokens and drops idle slots', async () => {
    expect.assertions(5);
    const { clock, transport, client } = setup({ workers: 1 });
    const a = client.take(limit, 'a');
    const b = client.take(limit, 'b');
    transport.answer(5);
    transport.answer(0, 3000);
    await Promise.all([a, b]);
    expect(client.sweep()).toBe(0);
    clock.advance(1000);
    expect(client.sweep()).toBe(1); // a: tokens handed back, then idle; b: denial in force
    expect(transport.returns).toEqual([{ limitId: 'a1', key: 'a', scope: 'host', tokens: 4 }]);
    clock.advance(2000);
    expect(client.sweep()).toBe(1);
    expect(client.size).toBe(0);
  });

  it('fails open to its share of the limit while the primary does not answer', async () => {
    expect.assertions(7);
    const errors: unknown[] = [];
    const { clock, transport, client } = setup({ workers: 4, failureHoldMs: 1000, onTransportError: (e) => errors.push(e) });
    const small: LimitParams = { limitId: 's', ratePerSecond: 40, burst: 8, scope: 'host' };
    const first = client.take(small, 'k');
    transport.fail();
    expect((await first).admitted).toBe(true);
    expect(errors).toHaveLength(1);
    // Local bucket: burst 8 / 4 workers = 2 (one spent above), rate 10/s.
    expect(client.take(small, 'k')).toMatchObject({ admitted: true });
    expect(client.take(small, 'k')).toEqual({ admitted: false, remaining: 0, retryAfterSeconds: 1 });
    clock.advance(100);
    expect(client.take(small, 'k')).toMatchObject({ admitted: true });
    expect(transport.requests).toHaveLength(1);
    clock.advance(1000);
    client.take(small, 'k');
    expect(transport.requests).toHaveLength(2);
  });

  it('treats a transport that throws like one that rejects', async () => {
    expect.assertions(1);
    const clock = new FakeClock();
    const client = new LeaseClient(
      {
        request: () => {
          throw new Error('channel closed');
        },
        giveBack: () => undefined,
      },
      clock.now,
    );
    expect((await client.take(limit, 'k')).admitted).toBe(true);
  });

  it('loses tokens quietly when the primary is gone at give-back time', async () => {
    expect.assertions(1);
    const { clock, transport, client } = setup({ workers: 1 });
    const first = client.take(limit, 'k');
    transport.answer(3);
    await first;
    transport.throwOnGiveBack = true;
    clock.advance(5000);
    expect(() => client.sweep()).not.toThrow();
  });

  it('caps its slots: idle ones first, then the oldest, handing their tokens back', async () => {
    expect.assertions(3);
    const { transport, client } = setup({ workers: 1, maxKeys: 10 });
    const takes: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      takes.push(Promise.resolve(client.take(limit, `k${i}`)));
      transport.answer(5);
    }
    await Promise.all(takes);
    client.take(limit, 'new');
    expect(client.size).toBe(10);
    expect(transport.returns).toEqual([{ limitId: 'a1', key: 'k0', scope: 'host', tokens: 4 }]);
    expect(transport.open).toBe(1);
  });

  it('close hands every held token back, and tokens still in flight when they land', async () => {
    expect.assertions(2);
    const { transport, client } = setup({ workers: 1 });
    const first = client.take(limit, 'a');
    transport.answer(5);
    await first;
    client.take(limit, 'b');
    client.close();
    expect(transport.returns).toEqual([{ limitId: 'a1', key: 'a', scope: 'host', tokens: 4 }]);
    transport.answer(5);
    await flush();
    expect(transport.returns).toHaveLength(2);
  });

  it('allocates nothing per admitted take (shared results)', async () => {
    expect.assertions(2);
    const { transport, client } = setup({ workers: 1 });
    const first = client.take(limit, 'k');
    transport.answer(10, 0, 0);
    await first;
    const seen = new Set<TakeResult>();
    for (let i = 0; i < 9; i++) seen.add(client.take(limit, 'k') as TakeResult);
    expect(seen.size).toBe(9);
    expect([...seen].every((r) => r === admittedResult(r.remaining))).toBe(true);
  });

  it('exports a constant for fail-open admissions', () => {
    expect(ADMITTED).toEqual({ admitted: true, remaining: 0, retryAfterSeconds: 0 });
  });
});

describe('LeaseClient refusal back-off', () => {
  it('waits for a batch per worker, but never so long that a small burst would overflow', async () => {
    expect.assertions(4);
    const { clock, transport, client } = setup({ workers: 4 });
    // 1000/s, burst 1000, 4 workers: batch 5, back-off 4 x 5 tokens = 20 ms.
    const first = client.take(limit, 'k');
    transport.answer(0, 1);
    await first;
    clock.advance(19);
    expect(client.take(limit, 'k')).toMatchObject({ admitted: false });
    clock.advance(1);
    expect(client.take(limit, 'k')).toBeInstanceOf(Promise);
    // One request a minute, burst 1: the wait is the primary's, not 4 minutes.
    const slow: LimitParams = { limitId: 'slow', ratePerSecond: 1 / 60, burst: 1, scope: 'host' };
    const second = client.take(slow, 'k');
    transport.answer(0); // the 'k' request above
    transport.answer(0, 60_000);
    await second;
    clock.advance(60_000);
    expect(client.take(slow, 'k')).toBeInstanceOf(Promise);
    expect(transport.requests.filter((r) => r.limitId === 'slow')).toHaveLength(2);
  });
});
