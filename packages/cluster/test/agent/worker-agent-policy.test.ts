import type { LeaseGrant } from '@weir/limits';
import { buildSpec, encodeSpec } from '@weir/runtime';
import { LeaseChannel, WorkerAgent, type PrimaryPort, type SnapshotSink } from '../../src/agent/index';
import type { JwksMessage, LeaseMessage, WorkerMessage } from '../../src/protocol/index';
import { CapturedLog } from '../support/capture-logger';

/**
 * Issue 9's policy messages on the worker: `weir:lease-grant` goes to the lease channel and
 * `weir:jwks` to the sink, both at once (not behind the apply queue).
 */

type Jwks = JwksMessage['jwks'];

/** Valid spec bytes, so a prepare reaches the sink (whose prepare then never finishes). */
const SPEC_BYTES = encodeSpec(
  buildSpec({ listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }], routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }] }),
);

const REQUEST = { limitId: 'r1', key: '10.0.0.1', want: 20, ratePerSecond: 100, burst: 200, scope: 'host' } as const;
const GRANT: LeaseGrant = { granted: 6, retryAfterMs: 0, remaining: 14 };
const URL_A = 'https://id.example.com/a/jwks.json';
const URL_B = 'https://id.example.com/b/jwks.json';
const SET_1: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'one', kid: 'k1' }] };
const SET_2: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'two', kid: 'k2' }] };

/** An in-memory channel: the test plays the primary. */
class FakePort implements PrimaryPort {
  readonly sent: WorkerMessage[] = [];
  private handler: ((message: unknown) => void) | null = null;

  send(message: WorkerMessage): void {
    this.sent.push(message);
  }

  onMessage(handler: (message: unknown) => void): void {
    this.handler = handler;
  }

  deliver(message: unknown): void {
    this.handler?.(message);
  }
}

/** A sink whose prepare never finishes (so anything queued behind it would wait forever). */
class PolicySink implements SnapshotSink {
  readonly jwksCalls: [string, Jwks][] = [];
  failJwks: Error | null = null;
  prepares = 0;

  prepare(): Promise<never> {
    this.prepares += 1;
    return new Promise(() => undefined);
  }

  commit(): void {}

  abort(): void {}

  drain(): Promise<void> {
    return Promise.resolve();
  }

  jwks(url: string, jwks: Jwks): void {
    if (this.failJwks !== null) throw this.failJwks;
    this.jwksCalls.push([url, jwks]);
  }
}

/** Resolves once `predicate` holds, checking after each turn of the event loop. */
async function waitFor(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

describe('WorkerAgent policy messages', () => {
  let port: FakePort;
  let sink: PolicySink;
  let log: CapturedLog;

  beforeEach(() => {
    port = new FakePort();
    sink = new PolicySink();
    log = new CapturedLog();
  });

  function startAgent(withLeases: boolean): LeaseChannel {
    const leases = new LeaseChannel(port);
    const agent = new WorkerAgent({ sink, port, logger: log.logger, pid: 7, exit: () => undefined, ...(withLeases ? { leases } : {}) });
    agent.start();
    return leases;
  }

  it('hands a lease grant to the lease channel, which resolves the request with that id', async () => {
    expect.assertions(2);
    const leases = startAgent(true);
    const pending = leases.request(REQUEST);
    const lease = port.sent.find((m): m is LeaseMessage => m.type === 'weir:lease') as LeaseMessage;
    port.deliver({ type: 'weir:lease-grant', id: lease.id, grant: GRANT });
    await expect(pending).resolves.toEqual(GRANT);
    expect(leases.outstanding).toBe(0);
  });

  it('delivers grants at once, even while a prepare is stuck in the queue', async () => {
    expect.assertions(2);
    const leases = startAgent(true);
    // A prepare that never finishes: anything queued behind it would wait forever.
    port.deliver({ type: 'weir:prepare', id: 1, spec: SPEC_BYTES });
    await waitFor(() => sink.prepares === 1);
    const pending = leases.request(REQUEST);
    const lease = port.sent.find((m): m is LeaseMessage => m.type === 'weir:lease') as LeaseMessage;
    port.deliver({ type: 'weir:lease-grant', id: lease.id, grant: GRANT });
    await expect(pending).resolves.toEqual(GRANT);
    expect(port.sent.some((m) => m.type === 'weir:ack' || m.type === 'weir:nack')).toBe(false);
  });

  it('drops a malformed grant (the request keeps waiting for a valid one)', async () => {
    expect.assertions(2);
    const leases = startAgent(true);
    const pending = leases.request(REQUEST);
    const lease = port.sent.find((m): m is LeaseMessage => m.type === 'weir:lease') as LeaseMessage;
    port.deliver({ type: 'weir:lease-grant', id: lease.id, grant: { granted: -1, retryAfterMs: 0, remaining: 0 } });
    expect(leases.outstanding).toBe(1);
    port.deliver({ type: 'weir:lease-grant', id: lease.id, grant: GRANT });
    await expect(pending).resolves.toEqual(GRANT);
  });

  it('ignores grants when it has no lease channel, and answers nothing', () => {
    startAgent(false);
    expect(() => port.deliver({ type: 'weir:lease-grant', id: 1, grant: GRANT })).not.toThrow();
    expect(port.sent.map((m) => m.type)).toEqual(['weir:hello']);
  });

  it('hands each key set to the sink with its URL, at once and in order, even during a prepare', async () => {
    expect.assertions(2);
    startAgent(true);
    port.deliver({ type: 'weir:prepare', id: 1, spec: SPEC_BYTES });
    await waitFor(() => sink.prepares === 1);
    port.deliver({ type: 'weir:jwks', url: URL_A, jwks: SET_1 });
    port.deliver({ type: 'weir:jwks', url: URL_B, jwks: SET_2 });
    port.deliver({ type: 'weir:jwks', url: URL_A, jwks: SET_2 });
    expect(sink.jwksCalls).toEqual([
      [URL_A, SET_1],
      [URL_B, SET_2],
      [URL_A, SET_2],
    ]);
    // The sink gets the message's own object (no copy), so its identity marks a refresh.
    expect(sink.jwksCalls[0]?.[1]).toBe(SET_1);
  });

  it('drops a malformed key set before it reaches the sink', () => {
    startAgent(true);
    port.deliver({ type: 'weir:jwks', url: URL_A, jwks: { keys: ['not-a-jwk'] } });
    port.deliver({ type: 'weir:jwks', url: URL_A });
    expect(sink.jwksCalls).toEqual([]);
  });

  it('survives a sink whose jwks throws: logs it and keeps handling messages', async () => {
    expect.assertions(4);
    startAgent(true);
    sink.failJwks = new Error('bad key');
    expect(() => port.deliver({ type: 'weir:jwks', url: URL_A, jwks: SET_1 })).not.toThrow();
    const line = await log.until((l) => l.msg === 'applying a JWKS failed');
    expect(line.level).toBe('error');
    sink.failJwks = null;
    port.deliver({ type: 'weir:jwks', url: URL_B, jwks: SET_2 });
    expect(sink.jwksCalls).toEqual([[URL_B, SET_2]]);
    // And the agent still answers the primary.
    port.deliver({ type: 'weir:ping', id: 9 });
    expect(port.sent.at(-1)).toEqual({ type: 'weir:pong', id: 9 });
  });

  it('accepts key sets with a sink that has no jwks method', () => {
    const bare: SnapshotSink = { prepare: () => new Promise(() => undefined), commit: () => undefined, abort: () => undefined, drain: () => Promise.resolve() };
    new WorkerAgent({ sink: bare, port, logger: log.logger, pid: 7, exit: () => undefined }).start();
    expect(() => port.deliver({ type: 'weir:jwks', url: URL_A, jwks: SET_1 })).not.toThrow();
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
