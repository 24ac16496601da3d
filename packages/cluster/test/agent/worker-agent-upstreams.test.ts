import { WorkerAgent, type PrimaryPort, type SnapshotSink } from '../../src/agent/index';
import type { WorkerMessage } from '../../src/protocol/index';
import { CapturedLog } from '../support/capture-logger';

class Port implements PrimaryPort {
  readonly sent: WorkerMessage[] = [];
  handler: ((message: unknown) => void) | null = null;
  send(message: WorkerMessage): void {
    this.sent.push(message);
  }
  onMessage(handler: (message: unknown) => void): void {
    this.handler = handler;
  }
}

function start(upstreamStates?: SnapshotSink['upstreamStates'], log?: CapturedLog): Port {
  const port = new Port();
  const sink: SnapshotSink = {
    prepare: () => new Promise(() => undefined),
    commit: () => undefined,
    abort: () => undefined,
    drain: () => Promise.resolve(),
    ...(upstreamStates === undefined ? {} : { upstreamStates }),
  };
  new WorkerAgent({ sink, port, pid: 1, exit: () => undefined, ...(log === undefined ? {} : { logger: log.logger }) }).start();
  return port;
}

/** `weir:upstreams` (issue 17): answered at once from the sink, even while a prepare is pending. */
describe('WorkerAgent upstream-state answers', () => {
  it('answers with what the sink reports, not behind a pending prepare', () => {
    const upstreams = [{ name: 'api', breaker: 'open' as const, endpoints: [{ address: '127.0.0.1:1', ejected: true, inFlight: 3 }] }];
    const port = start(() => ({ version: 'v1', upstreams }));
    port.handler?.({ type: 'weir:prepare', id: 1, spec: new Uint8Array(0) });
    port.handler?.({ type: 'weir:upstreams', id: 9 });
    expect(port.sent.slice(1)).toEqual([{ type: 'weir:upstreams-result', id: 9, version: 'v1', upstreams }]);
  });

  it('answers no upstreams for a sink without support, or when the sink throws (logged)', () => {
    expect(start().sent.length).toBe(1);
    const bare = start();
    bare.handler?.({ type: 'weir:upstreams', id: 2 });
    expect(bare.sent.at(-1)).toEqual({ type: 'weir:upstreams-result', id: 2, version: null, upstreams: [] });
    const log = new CapturedLog();
    const failing = start(() => {
      throw new Error('boom');
    }, log);
    failing.handler?.({ type: 'weir:upstreams', id: 3 });
    expect(failing.sent.at(-1)).toEqual({ type: 'weir:upstreams-result', id: 3, version: null, upstreams: [] });
    expect(log.withMsg('reading the upstream state failed')).toHaveLength(1);
  });
});
