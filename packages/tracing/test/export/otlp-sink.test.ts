import * as http from 'node:http';
import { createOtlpSink, createResource, SpanQueue, SpanKind, SpanRecord, SpanStatusCode, weirScope, type SpanSink } from '@weir/tracing';
import { startOtlpReceiver, type OtlpReceiver } from '../../../../tools/jest/otlp-receiver';
import { encodeTraces } from '../support/encode-traces';
import { preloadHttpTransport } from '../support/jest-http-transport';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SERVER_ID = '00f067aa0ba902b7';
const CLIENT_ID = '53995c3f42cd8ad8';
const REMOTE_PARENT = 'b7ad6b7169203331';
const resource = createResource({ 'service.name': 'weir-it' });
const scope = weirScope('9.9.9');

function spans(): SpanRecord[] {
  const server = new SpanRecord('GET /users/:id', SpanKind.SERVER, TRACE, SERVER_ID, REMOTE_PARENT, true, 1_700_000_000_000.5, 1_700_000_000_012.25, { 'http.request.method': 'GET', 'http.response.status_code': 200, 'weir.cached': false }, resource, scope);
  server.addEvent('retry', 1_700_000_000_005, { attempt: 1 });
  const client = new SpanRecord('GET', SpanKind.CLIENT, TRACE, CLIENT_ID, SERVER_ID, false, 1_700_000_000_001, 1_700_000_000_011, { 'server.address': 'backend' }, resource, scope);
  client.setStatus(SpanStatusCode.ERROR, 'WEIR_ERR_UPSTREAM_RESET');
  return [server, client];
}

function exportOnce(sink: SpanSink, records: SpanRecord[]): Promise<{ ok: boolean; retryable: boolean | undefined }> {
  const batch = { spans: records.length, bytes: encodeTraces(records) };
  return new Promise((resolve) => sink.export(batch, (ok, retryable) => resolve({ ok, retryable })));
}

describe('createOtlpSink against an OTLP/HTTP receiver', () => {
  let receiver: OtlpReceiver;
  let sink: SpanSink | null = null;
  let agent: http.Agent | null = null;

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await sink?.shutdown();
    agent?.destroy();
    sink = null;
    agent = null;
    await receiver.close();
  });

  const open = (timeoutMs: number): SpanSink => {
    sink = createOtlpSink({ url: receiver.tracesUrl, headers: { authorization: 'Bearer t0ken' }, timeoutMs });
    agent = preloadHttpTransport(sink);
    return sink;
  };

  it('exports spans the collector decodes with ids, kinds, parents, attributes, times and resource', async () => {
    expect.assertions(6);
    const result = await exportOnce(open(2000), spans());
    expect(result.ok).toBe(true);
    const [server, client] = await receiver.waitForSpans(2, 2000);
    expect(server).toEqual({
      traceId: TRACE,
      spanId: SERVER_ID,
      parentSpanId: REMOTE_PARENT,
      // Sampled (0x01), with a remote parent (0x100 says 0x200 is known, 0x200 says it is remote).
      flags: 0x301,
      name: 'GET /users/:id',
      kind: 2,
      startTimeUnixNano: '1700000000000500000',
      endTimeUnixNano: '1700000000012250000',
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'weir.cached': false },
      status: { code: 0, message: '' },
      events: [{ name: 'retry', timeUnixNano: '1700000000005000000', attributes: { attempt: 1 } }],
      resource: expect.objectContaining({ 'service.name': 'weir-it' }),
      scope: { name: 'weir', version: '9.9.9' },
    });
    expect(client).toEqual(
      expect.objectContaining({ traceId: TRACE, spanId: CLIENT_ID, parentSpanId: SERVER_ID, kind: 3, status: { code: 2, message: 'WEIR_ERR_UPSTREAM_RESET' } }),
    );
    expect(receiver.requests.count).toBe(1);
    expect(receiver.requests.lastHeaders?.['authorization']).toBe('Bearer t0ken');
    expect(receiver.requests.lastHeaders?.['content-type']).toBe('application/x-protobuf');
  });

  it('retries a 503 with Retry-After and succeeds when the collector recovers', async () => {
    expect.assertions(3);
    receiver.setStatus(503, { retryAfter: 0, times: 2 });
    const result = await exportOnce(open(2000), spans());
    expect(result.ok).toBe(true);
    expect(receiver.requests.count).toBe(3);
    expect(receiver.spans).toHaveLength(2);
  });

  it('fails as retryable when the collector keeps answering 503', async () => {
    expect.assertions(3);
    receiver.setStatus(503, { retryAfter: 0 });
    const result = await exportOnce(open(2000), spans());
    expect(result).toEqual({ ok: false, retryable: true });
    // The first attempt and the exporter's 5 retries.
    expect(receiver.requests.count).toBe(6);
    expect(receiver.spans).toHaveLength(0);
  });

  it('does not retry a 503 whose backoff would pass the export deadline', async () => {
    expect.assertions(2);
    receiver.setStatus(503);
    const result = await exportOnce(open(300), spans());
    expect(result).toEqual({ ok: false, retryable: true });
    expect(receiver.requests.count).toBe(1);
  });

  it('fails as not retryable on a 400', async () => {
    expect.assertions(2);
    receiver.setStatus(400);
    const result = await exportOnce(open(2000), spans());
    expect(result).toEqual({ ok: false, retryable: false });
    expect(receiver.requests.count).toBe(1);
  });

  it('delivers everything a SpanQueue flushes, in batches', async () => {
    expect.assertions(3);
    const queue = new SpanQueue(open(2000), { maxQueueSpans: 100, maxBatchSpans: 3, flushIntervalMs: 50 });
    for (let i = 0; i < 4; i++) for (const s of spans()) queue.push(s);
    await queue.flush();
    expect(queue.exported).toBe(8);
    expect(receiver.spans).toHaveLength(8);
    expect(receiver.requests.count).toBe(3);
  });

  it('rejects a bad URL or timeout with WEIR_ERR_CONFIG_INVALID', () => {
    for (const options of [
      { url: 'nope', headers: {}, timeoutMs: 100 },
      { url: 'ftp://c/v1/traces', headers: {}, timeoutMs: 100 },
      { url: 'http://c/v1/traces', headers: {}, timeoutMs: 0 },
    ]) {
      expect(() => createOtlpSink(options)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID' }));
    }
  });
});
