import { isPrimaryMessage, isWorkerMessage } from '../../src/protocol/index';

describe('isPrimaryMessage', () => {
  it('accepts every well-formed primary message', () => {
    expect(isPrimaryMessage({ type: 'weir:prepare', id: 1, spec: new Uint8Array([1, 2]) })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:prepare', id: 1, spec: Buffer.from('x') })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:commit', id: 0 })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:abort', id: 7 })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:drain', timeoutMs: 30000 })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:stats', id: 3 })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:metrics', id: 4 })).toBe(true);
  });

  it('rejects foreign and malformed messages', () => {
    expect(isPrimaryMessage(null)).toBe(false);
    expect(isPrimaryMessage('weir:commit')).toBe(false);
    expect(isPrimaryMessage({ cmd: 'NODE_CLUSTER', act: 'online' })).toBe(false);
    expect(isPrimaryMessage({ type: 'prom-client:getMetricsReq', requestId: 1 })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:prepare', id: 1, spec: 'base64' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:prepare', id: -1, spec: new Uint8Array() })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:commit', id: 1.5 })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:drain' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:ack', id: 1, version: 'v', listeners: [] })).toBe(false);
  });
});

describe('isWorkerMessage', () => {
  it('accepts every well-formed worker message', () => {
    expect(isWorkerMessage({ type: 'weir:hello', pid: 42 })).toBe(true);
    expect(
      isWorkerMessage({ type: 'weir:ack', id: 1, version: 'v-1', listeners: [{ name: 'main', address: '127.0.0.1', port: 8080 }] }),
    ).toBe(true);
    expect(isWorkerMessage({ type: 'weir:nack', id: 1, error: { code: 'WEIR_ERR_LISTEN', message: 'in use' } })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:committed', id: 1, version: 'v-1' })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:stats-result', id: 1, version: null, inFlight: 0 })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:metrics-result', id: 1, metrics: [] })).toBe(true);
  });

  it('rejects foreign and malformed messages', () => {
    expect(isWorkerMessage(undefined)).toBe(false);
    expect(isWorkerMessage({ type: 'weir:hello' })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:ack', id: 1, version: 'v', listeners: [{ name: 'main', port: 1 }] })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:ack', id: 1, version: 'v' })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:nack', id: 1, error: 'boom' })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:committed', id: 1 })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:stats-result', id: 1, version: 3, inFlight: 0 })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:metrics-result', id: 1, metrics: 'text' })).toBe(false);
    expect(isWorkerMessage({ type: 'prom-client:getMetricsRes', requestId: 1, metrics: [] })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:prepare', id: 1, spec: new Uint8Array() })).toBe(false);
  });
});

describe('cache purge messages (issue 10)', () => {
  it('accepts a purge by key or by prefix, and its answer', () => {
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: 'api', key: 'http://example.com/a?b=1' })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 2, route: 'api', prefix: 'http://example.com/api/' })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 2, route: 'api', key: undefined, prefix: 'http://x/' })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:cache-purged', id: 1, purged: 0 })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:cache-purged', id: 1, purged: 12 })).toBe(true);
  });

  it('rejects a purge with neither or both of key and prefix, or with a bad route, and a malformed answer', () => {
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: 'api' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: 'api', key: 'http://x/', prefix: 'http://x/' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: 'api', key: '' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: 'api', prefix: 3 })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', id: 1, route: '', key: 'http://x/' })).toBe(false);
    expect(isPrimaryMessage({ type: 'weir:cache-purge', route: 'api', key: 'http://x/' })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:cache-purged', id: 1 })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:cache-purged', id: 1, purged: -1 })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:cache-purged', id: 1, purged: 1.5 })).toBe(false);
    expect(isWorkerMessage({ type: 'weir:cache-purge', id: 1, route: 'api', key: 'http://x/' })).toBe(false);
  });
});
