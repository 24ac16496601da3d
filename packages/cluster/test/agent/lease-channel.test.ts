import type { LeaseGrant, LeaseRequest } from '@weir/limits';
import { LeaseChannel, type PrimaryPort } from '../../src/agent/index';
import type { LeaseMessage, WorkerMessage } from '../../src/protocol/index';

const REQUEST: LeaseRequest = { limitId: 'r1', key: '10.0.0.1', want: 20, ratePerSecond: 100, burst: 200, scope: 'host' };
const GRANT: LeaseGrant = { granted: 5, retryAfterMs: 0, remaining: 3 };
/** What the channel resolves when the primary cannot judge: everything asked for. */
const FULL: LeaseGrant = { granted: 20, retryAfterMs: 0, remaining: 0 };
/** The channel's timeout (lease-channel.ts `LEASE_TIMEOUT_MS`). */
const TIMEOUT_MS = 2_000;
/** The channel's cap on waiting requests (lease-channel.ts `MAX_OUTSTANDING`). */
const MAX_OUTSTANDING = 10_000;

/** Records what the worker sends; `failing` makes `send` throw (a closed channel). */
class RecordingPort implements PrimaryPort {
  readonly sent: WorkerMessage[] = [];
  failing = false;

  send(message: WorkerMessage): void {
    if (this.failing) throw new Error('channel closed');
    this.sent.push(message);
  }

  onMessage(): void {
    // The agent routes grants; the channel itself never listens.
  }

  /** The lease requests sent, in order. */
  get leases(): LeaseMessage[] {
    return this.sent.filter((m): m is LeaseMessage => m.type === 'weir:lease');
  }
}

/** Settles to 'pending' when `promise` has not resolved after the microtask queue drains. */
async function state<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('LeaseChannel', () => {
  let port: RecordingPort;
  let channel: LeaseChannel;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    port = new RecordingPort();
    channel = new LeaseChannel(port);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends each request with a fresh id and the request as given', () => {
    void channel.request(REQUEST);
    void channel.request({ ...REQUEST, key: 'other', scope: 'global', atLeast: 4 });
    const [first, second] = port.leases;
    expect(first).toEqual({ type: 'weir:lease', id: expect.any(Number), request: REQUEST });
    expect(second?.request).toEqual({ ...REQUEST, key: 'other', scope: 'global', atLeast: 4 });
    expect(first?.id).not.toBe(second?.id);
    expect(channel.outstanding).toBe(2);
  });

  it('resolves each request with the grant carrying its id, whatever the answer order', async () => {
    expect.assertions(3);
    const a = channel.request(REQUEST);
    const b = channel.request({ ...REQUEST, key: 'b' });
    const [ma, mb] = port.leases as [LeaseMessage, LeaseMessage];
    channel.granted(mb.id, { granted: 2, retryAfterMs: 0, remaining: 9 });
    channel.granted(ma.id, GRANT);
    await expect(a).resolves.toEqual(GRANT);
    await expect(b).resolves.toEqual({ granted: 2, retryAfterMs: 0, remaining: 9 });
    expect(channel.outstanding).toBe(0);
  });

  it('hands a refusal through as it is (granted 0 and when to ask again)', async () => {
    expect.assertions(1);
    const p = channel.request(REQUEST);
    channel.granted((port.leases[0] as LeaseMessage).id, { granted: 0, retryAfterMs: 150, remaining: 0 });
    await expect(p).resolves.toEqual({ granted: 0, retryAfterMs: 150, remaining: 0 });
  });

  it('ignores grants with unknown ids and second grants for the same id', async () => {
    expect.assertions(4);
    const p = channel.request(REQUEST);
    const id = (port.leases[0] as LeaseMessage).id;
    channel.granted(id + 1000, { granted: 99, retryAfterMs: 0, remaining: 0 });
    expect(await state(p)).toBe('pending');
    expect(channel.outstanding).toBe(1);
    channel.granted(id, GRANT);
    channel.granted(id, { granted: 99, retryAfterMs: 0, remaining: 0 });
    await expect(p).resolves.toEqual(GRANT);
    expect(channel.outstanding).toBe(0);
  });

  it('grants everything asked for when the primary does not answer within 2 s', async () => {
    expect.assertions(4);
    const p = channel.request(REQUEST);
    jest.advanceTimersByTime(TIMEOUT_MS - 1);
    expect(await state(p)).toBe('pending');
    jest.advanceTimersByTime(1);
    await expect(p).resolves.toEqual(FULL);
    expect(channel.outstanding).toBe(0);
    // A grant arriving after the timeout is stale: ignored, nothing throws.
    channel.granted((port.leases[0] as LeaseMessage).id, GRANT);
    expect(channel.outstanding).toBe(0);
  });

  it('clears the timer of a request the primary answered', async () => {
    expect.assertions(2);
    const p = channel.request(REQUEST);
    channel.granted((port.leases[0] as LeaseMessage).id, GRANT);
    await expect(p).resolves.toEqual(GRANT);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('grants in full at once when the channel is gone (send throws), and keeps nothing waiting', async () => {
    expect.assertions(3);
    port.failing = true;
    const p = channel.request(REQUEST);
    await expect(p).resolves.toEqual(FULL);
    expect(channel.outstanding).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('caps waiting requests: beyond the cap one is granted in full without being sent', async () => {
    expect.assertions(5);
    const waiting: Promise<LeaseGrant>[] = [];
    for (let i = 0; i < MAX_OUTSTANDING; i++) waiting.push(channel.request({ ...REQUEST, key: `k${i}` }));
    expect(channel.outstanding).toBe(MAX_OUTSTANDING);
    const over = channel.request({ ...REQUEST, key: 'over', want: 7 });
    await expect(over).resolves.toEqual({ granted: 7, retryAfterMs: 0, remaining: 0 });
    expect(port.leases).toHaveLength(MAX_OUTSTANDING);
    expect(channel.outstanding).toBe(MAX_OUTSTANDING);
    // Once one is answered there is room again: the next request goes to the primary.
    channel.granted((port.leases[0] as LeaseMessage).id, GRANT);
    void channel.request({ ...REQUEST, key: 'after' });
    expect(port.leases.at(-1)?.request.key).toBe('after');
  });

  it('gives unspent tokens back in a lease-return', () => {
    const ret = { limitId: 'r1', key: '10.0.0.1', scope: 'host' as const, tokens: 4 };
    channel.giveBack(ret);
    expect(port.sent).toEqual([{ type: 'weir:lease-return', ret }]);
  });

  it('drops a give-back when the channel is gone, without throwing', () => {
    port.failing = true;
    expect(() => channel.giveBack({ limitId: 'r1', key: 'k', scope: 'global', tokens: 1 })).not.toThrow();
  });
});
