import { WeirError } from '@weir/errors';
import { buildSpec, encodeSpec, type Spec } from '@weir/runtime';
import type { PrimaryPort, SnapshotSink } from '../../src/agent/index';
import { WorkerAgent } from '../../src/agent/index';
import type { ListenerInfo, PrimaryMessage, WorkerMessage } from '../../src/protocol/index';

const LISTENERS: ListenerInfo[] = [{ name: 'main', address: '127.0.0.1', port: 41234 }];

function specBytes(body: string): { spec: Spec; bytes: Uint8Array } {
  const spec = buildSpec({
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [{ name: 'hello', directResponse: { status: 200, body } }],
  });
  return { spec, bytes: encodeSpec(spec) };
}

/** An in-memory channel: the test plays the primary. */
class FakePort implements PrimaryPort {
  readonly sent: WorkerMessage[] = [];
  private handler: ((message: unknown) => void) | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];

  send(message: WorkerMessage): void {
    this.sent.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (this.sent.length < w.count) return true;
      w.resolve();
      return false;
    });
  }

  onMessage(handler: (message: unknown) => void): void {
    this.handler = handler;
  }

  deliver(message: PrimaryMessage | unknown): void {
    this.handler?.(message);
  }

  /** Resolves once `count` messages have been sent in total; returns the last one. */
  async nth(count: number): Promise<WorkerMessage> {
    if (this.sent.length < count) await new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    return this.sent[count - 1] as WorkerMessage;
  }
}

/** Records calls; `prepare` can be made to fail or to wait for `release()`. */
class FakeSink implements SnapshotSink {
  readonly calls: string[] = [];
  fail: Error | null = null;
  drained: number | null = null;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  async prepare(spec: Spec): Promise<{ version: string; listeners: ListenerInfo[] }> {
    this.calls.push(`prepare ${spec.version}`);
    if (this.gate !== null) await this.gate;
    if (this.fail !== null) throw this.fail;
    return { version: spec.version, listeners: LISTENERS.map((l) => ({ ...l, extra: true })) };
  }

  commit(): void {
    this.calls.push('commit');
  }

  abort(): void {
    this.calls.push('abort');
  }

  async drain(timeoutMs: number): Promise<void> {
    this.calls.push(`drain ${timeoutMs}`);
    this.drained = timeoutMs;
  }
}

describe('WorkerAgent', () => {
  let port: FakePort;
  let sink: FakeSink;
  let exits: number[];
  let committed: Spec[];
  let agent: WorkerAgent;

  beforeEach(() => {
    port = new FakePort();
    sink = new FakeSink();
    exits = [];
    committed = [];
    agent = new WorkerAgent({ sink, port, pid: 77, exit: (code) => exits.push(code), onCommit: (spec) => committed.push(spec) });
    agent.start();
  });

  it('says hello once on start', () => {
    agent.start();
    expect(port.sent).toEqual([{ type: 'weir:hello', pid: 77 }]);
  });

  it('prepares, acks with plain listener data, then commits', async () => {
    expect.assertions(5);
    const { spec, bytes } = specBytes('one');
    port.deliver({ type: 'weir:prepare', id: 1, spec: bytes });
    expect(await port.nth(2)).toEqual({ type: 'weir:ack', id: 1, version: spec.version, listeners: LISTENERS });
    expect(agent.committedSpec).toBeNull();
    port.deliver({ type: 'weir:commit', id: 1 });
    expect(await port.nth(3)).toEqual({ type: 'weir:committed', id: 1, version: spec.version });
    expect(sink.calls).toEqual([`prepare ${spec.version}`, 'commit']);
    expect(committed.map((s) => s.hash)).toEqual([spec.hash]);
  });

  it('nacks corrupt bytes with WEIR_ERR_SPEC_CORRUPT without calling the sink', async () => {
    expect.assertions(2);
    port.deliver({ type: 'weir:prepare', id: 4, spec: new Uint8Array([0xc1, 0x00, 0xff]) });
    expect(await port.nth(2)).toMatchObject({ type: 'weir:nack', id: 4, error: { code: 'WEIR_ERR_SPEC_CORRUPT' } });
    expect(sink.calls).toEqual([]);
  });

  it("nacks with the sink's error code", async () => {
    expect.assertions(1);
    sink.fail = new WeirError('WEIR_ERR_LISTEN', 'address in use', { pointer: '/listeners/0' });
    port.deliver({ type: 'weir:prepare', id: 2, spec: specBytes('x').bytes });
    expect(await port.nth(2)).toEqual({
      type: 'weir:nack',
      id: 2,
      error: { code: 'WEIR_ERR_LISTEN', message: 'address in use', pointer: '/listeners/0' },
    });
  });

  it('applies an abort that arrives while its prepare is still running, after it', async () => {
    expect.assertions(2);
    sink.hold();
    const { spec, bytes } = specBytes('slow');
    port.deliver({ type: 'weir:prepare', id: 3, spec: bytes });
    port.deliver({ type: 'weir:abort', id: 3 });
    port.deliver({ type: 'weir:commit', id: 3 });
    sink.release();
    // A later prepare is queued behind the abort and commit, so its ack proves both were handled.
    port.deliver({ type: 'weir:prepare', id: 10, spec: bytes });
    await port.nth(3);
    expect(sink.calls).toEqual([`prepare ${spec.version}`, 'abort', `prepare ${spec.version}`]);
    expect(port.sent.map((m) => m.type)).toEqual(['weir:hello', 'weir:ack', 'weir:ack']);
  });

  it('ignores a commit or abort for another round', async () => {
    expect.assertions(1);
    const { spec, bytes } = specBytes('a');
    port.deliver({ type: 'weir:prepare', id: 5, spec: bytes });
    await port.nth(2);
    port.deliver({ type: 'weir:commit', id: 4 });
    port.deliver({ type: 'weir:abort', id: 6 });
    port.deliver({ type: 'weir:commit', id: 5 });
    await port.nth(3);
    expect(sink.calls).toEqual([`prepare ${spec.version}`, 'commit']);
  });

  it('discards a stale prepared runtime before preparing the next', async () => {
    expect.assertions(1);
    const a = specBytes('a');
    const b = specBytes('b');
    port.deliver({ type: 'weir:prepare', id: 1, spec: a.bytes });
    port.deliver({ type: 'weir:prepare', id: 2, spec: b.bytes });
    await port.nth(3);
    expect(sink.calls).toEqual([`prepare ${a.spec.version}`, 'abort', `prepare ${b.spec.version}`]);
  });

  it('ignores messages that are not Weir protocol messages', async () => {
    expect.assertions(1);
    port.deliver({ cmd: 'NODE_CLUSTER' });
    port.deliver('hello');
    port.deliver({ type: 'weir:stats', id: 1 });
    await port.nth(2);
    expect(port.sent.map((m) => m.type)).toEqual(['weir:hello', 'weir:stats-result']);
  });

  it('answers stats from the sink when it has them, else from the committed spec', async () => {
    expect.assertions(1);
    port.deliver({ type: 'weir:stats', id: 1 });
    expect(await port.nth(2)).toEqual({ type: 'weir:stats-result', id: 1, version: null, inFlight: 0, candidateVersion: null, candidatePercent: 0 });
  });

  it('drains the sink then exits 0, and refuses prepares after a drain', async () => {
    expect.assertions(3);
    port.deliver({ type: 'weir:drain', timeoutMs: 1234 });
    port.deliver({ type: 'weir:prepare', id: 8, spec: specBytes('late').bytes });
    expect(await port.nth(2)).toMatchObject({ type: 'weir:nack', id: 8, error: { code: 'WEIR_ERR_DRAINING' } });
    expect(sink.drained).toBe(1234);
    expect(exits).toEqual([0]);
  });

  it('drains once with the committed drain timeout when asked by a signal', async () => {
    expect.assertions(2);
    const { spec, bytes } = specBytes('a');
    port.deliver({ type: 'weir:prepare', id: 1, spec: bytes });
    port.deliver({ type: 'weir:commit', id: 1 });
    await port.nth(3);
    agent.requestDrain();
    port.deliver({ type: 'weir:drain', timeoutMs: 5 });
    port.deliver({ type: 'weir:stats', id: 2 });
    port.deliver({ type: 'weir:prepare', id: 3, spec: bytes });
    await port.nth(5);
    expect(sink.calls.filter((c) => c.startsWith('drain'))).toEqual([`drain ${spec.server.drainTimeoutMs}`]);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when the sink fails to commit, so the primary restarts it', async () => {
    expect.assertions(2);
    sink.commit = (): void => {
      throw new Error('broken');
    };
    port.deliver({ type: 'weir:prepare', id: 1, spec: specBytes('a').bytes });
    await port.nth(2);
    port.deliver({ type: 'weir:commit', id: 1 });
    port.deliver({ type: 'weir:prepare', id: 2, spec: specBytes('b').bytes });
    await port.nth(3);
    expect(exits).toEqual([1]);
    expect(port.sent.map((m) => m.type)).toEqual(['weir:hello', 'weir:ack', 'weir:ack']);
  });
});

describe('WorkerAgent metrics', () => {
  it('answers a metrics request at once with its provider, even during a prepare', async () => {
    expect.assertions(2);
    const port = new FakePort();
    const sink = new FakeSink();
    sink.hold();
    const agent = new WorkerAgent({ sink, port, pid: 7, exit: () => undefined, metrics: async () => [{ name: 'm' }] });
    agent.start();
    port.deliver({ type: 'weir:prepare', id: 1, spec: specBytes('x').bytes });
    port.deliver({ type: 'weir:metrics', id: 2 });
    expect(await port.nth(2)).toEqual({ type: 'weir:metrics-result', id: 2, metrics: [{ name: 'm' }] });
    sink.release();
    expect(await port.nth(3)).toMatchObject({ type: 'weir:ack', id: 1 });
  });

  it('answers with no metrics without a provider, or when the provider fails', async () => {
    expect.assertions(2);
    const port = new FakePort();
    new WorkerAgent({ sink: new FakeSink(), port, pid: 7, exit: () => undefined }).start();
    port.deliver({ type: 'weir:metrics', id: 4 });
    expect(await port.nth(2)).toEqual({ type: 'weir:metrics-result', id: 4, metrics: [] });
    const failing = new FakePort();
    new WorkerAgent({
      sink: new FakeSink(),
      port: failing,
      pid: 8,
      exit: () => undefined,
      metrics: () => {
        throw new WeirError('WEIR_ERR_INTERNAL', 'registry broke');
      },
    }).start();
    failing.deliver({ type: 'weir:metrics', id: 5 });
    expect(await failing.nth(2)).toEqual({ type: 'weir:metrics-result', id: 5, metrics: [] });
  });
});
