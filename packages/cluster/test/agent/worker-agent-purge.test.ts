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

type Purge = NonNullable<SnapshotSink['purgeCache']>;

/** A sink whose prepare never ends (a purge must not wait for it). */
function sink(purgeCache?: Purge): SnapshotSink {
  return {
    prepare: () => new Promise(() => undefined),
    commit: () => undefined,
    abort: () => undefined,
    drain: () => Promise.resolve(),
    ...(purgeCache === undefined ? {} : { purgeCache }),
  };
}

function start(s: SnapshotSink, log?: CapturedLog): Port {
  const port = new Port();
  new WorkerAgent({ sink: s, port, pid: 1, exit: () => undefined, ...(log === undefined ? {} : { logger: log.logger }) }).start();
  return port;
}

/** `weir:cache-purge` (issue 10): answered at once with the count the sink removed. */
describe('WorkerAgent cache purges', () => {
  it('hands key and prefix purges to the sink at once, even while a prepare is pending, and answers with its count', () => {
    const calls: unknown[] = [];
    const port = start(
      sink((route, target) => {
        calls.push([route, target]);
        return 'key' in target ? 1 : 4;
      }),
    );
    port.handler?.({ type: 'weir:prepare', id: 1, spec: new Uint8Array(0) });
    port.handler?.({ type: 'weir:cache-purge', id: 7, route: 'api', key: 'http://example.com/a?b=1' });
    port.handler?.({ type: 'weir:cache-purge', id: 8, route: 'api', prefix: 'http://example.com/' });
    expect(calls).toEqual([
      ['api', { key: 'http://example.com/a?b=1' }],
      ['api', { prefix: 'http://example.com/' }],
    ]);
    expect(port.sent.slice(1)).toEqual([
      { type: 'weir:cache-purged', id: 7, purged: 1 },
      { type: 'weir:cache-purged', id: 8, purged: 4 },
    ]);
  });

  it('answers 0 for a sink without cache support', () => {
    const port = start(sink());
    port.handler?.({ type: 'weir:cache-purge', id: 3, route: 'api', key: 'http://x/' });
    expect(port.sent.at(-1)).toEqual({ type: 'weir:cache-purged', id: 3, purged: 0 });
  });

  it('logs a sink that throws and answers 0, so the primary is not left waiting', () => {
    const log = new CapturedLog();
    const port = start(
      sink(() => {
        throw new Error('boom');
      }),
      log,
    );
    port.handler?.({ type: 'weir:cache-purge', id: 4, route: 'api', prefix: 'http://x/' });
    expect(port.sent.at(-1)).toEqual({ type: 'weir:cache-purged', id: 4, purged: 0 });
    expect(log.withMsg('purging the response cache failed')).toEqual([expect.objectContaining({ level: 'error', route: 'api' })]);
  });

  it('answers 0 for a count that is not a whole number', () => {
    const port = start(sink(() => Number.NaN));
    port.handler?.({ type: 'weir:cache-purge', id: 5, route: 'api', key: 'http://x/' });
    expect(port.sent.at(-1)).toEqual({ type: 'weir:cache-purged', id: 5, purged: 0 });
  });

  it('ignores malformed purges (no key or prefix, or both)', () => {
    const calls: unknown[] = [];
    const port = start(sink((route) => calls.push(route)));
    port.handler?.({ type: 'weir:cache-purge', id: 1, route: 'api' });
    port.handler?.({ type: 'weir:cache-purge', id: 2, route: 'api', key: 'http://x/', prefix: 'http://x/' });
    expect(calls).toEqual([]);
    expect(port.sent.map((m) => m.type)).toEqual(['weir:hello']);
  });
});
