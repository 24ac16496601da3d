import { WorkerAgent, type PrimaryPort, type SnapshotSink } from '../../src/agent/index';
import type { EndpointHealth, WorkerMessage } from '../../src/protocol/index';
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

function sink(health?: (updates: readonly EndpointHealth[]) => void): SnapshotSink {
  return {
    prepare: () => new Promise(() => undefined),
    commit: () => undefined,
    abort: () => undefined,
    drain: () => Promise.resolve(),
    ...(health === undefined ? {} : { health }),
  };
}

describe('WorkerAgent health results', () => {
  it('hands them to the sink at once, even while a prepare is pending', () => {
    const port = new Port();
    const seen: (readonly EndpointHealth[])[] = [];
    const agent = new WorkerAgent({ sink: sink((u) => seen.push(u)), port, pid: 1, exit: () => undefined });
    agent.start();
    port.handler?.({ type: 'weir:prepare', id: 1, spec: new Uint8Array(0) });
    const updates = [{ upstream: 'api', address: '127.0.0.1:1', healthy: false }];
    port.handler?.({ type: 'weir:health', updates });
    expect(seen).toEqual([updates]);
  });

  it('ignores malformed health messages and sinks without health support', () => {
    const port = new Port();
    const seen: unknown[] = [];
    new WorkerAgent({ sink: sink((u) => seen.push(u)), port, pid: 1, exit: () => undefined }).start();
    port.handler?.({ type: 'weir:health', updates: [{ upstream: 'api', address: 1, healthy: 'no' }] });
    port.handler?.({ type: 'weir:health' });
    expect(seen).toEqual([]);
    const bare = new Port();
    new WorkerAgent({ sink: sink(), port: bare, pid: 2, exit: () => undefined }).start();
    expect(() => bare.handler?.({ type: 'weir:health', updates: [] })).not.toThrow();
  });

  it('logs a sink that throws, and keeps going', () => {
    const port = new Port();
    const log = new CapturedLog();
    new WorkerAgent({ sink: sink(() => { throw new Error('boom'); }), port, pid: 1, exit: () => undefined, logger: log.logger }).start();
    port.handler?.({ type: 'weir:health', updates: [] });
    expect(log.withMsg('applying health results failed')).toHaveLength(1);
  });
});
