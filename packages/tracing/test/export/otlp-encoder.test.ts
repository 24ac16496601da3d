import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createResource, SpanKind, SpanRecord, SpanStatusCode, weirScope } from '@weir/tracing';
import { encodeTraces } from '../support/encode-traces';
import { SpanQueue } from '../../src/export/span-queue';
import { FakeScheduler, FakeSink } from '../support/fakes';
import { ProtoWriter, varintSize } from '../../src/export/proto-writer';

// The maintained package's generated protobufjs code: the reference decoder.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { decode(b: Uint8Array): unknown; toObject(m: unknown, o: object): unknown } } } } } };
};
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const decode = (bytes: Uint8Array): unknown => Request.toObject(Request.decode(bytes), { longs: String, bytes: String, defaults: true });

const resource = createResource({ 'service.name': 'weir', 'service.instance.id': 'host:1', 'deployment.environment': 'prodé' });
const otherResource = createResource({ 'service.name': 'other' });
const scope = weirScope('1');

function spans(): SpanRecord[] {
  const server = new SpanRecord('all', SpanKind.SERVER, '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 'aaaaaaaaaaaaaaaa', true, 1_765_000_000_123.456, 1_765_000_000_130.001, {
    'http.request.method': 'GET',
    'url.path': '/items/ünïcode',
    'http.response.status_code': 503,
    'server.port': 0,
    'weir.flag': true,
    'weir.off': false,
    'weir.ratio': 0.25,
    'weir.negative': -3.5,
    'weir.empty': '',
  }, resource, scope);
  server.setStatus(SpanStatusCode.ERROR, 'WEIR_ERR_UPSTREAM_CONNECT');
  server.addEvent('weir.retry', 1_765_000_000_125, { 'http.request.resend_count': 1, 'weir.endpoint': '127.0.0.1:9001' });
  server.addEvent('weir.bare', 1_765_000_000_126);
  const client = new SpanRecord('u', SpanKind.CLIENT, '4bf92f3577b34da6a3ce929d0e0e4736', '1111111111111111', '00f067aa0ba902b7', false, 1_765_000_000_124, 1_765_000_000_129, { 'server.address': '::1' }, resource, scope);
  const root = new SpanRecord('weir.config.apply', SpanKind.INTERNAL, 'f'.repeat(32), '2222222222222222', null, false, 0, 1, {}, otherResource, scope);
  return [server, client, root];
}

describe('encodeTraces', () => {
  // proto3: a field at its default (0, '') reads the same written or absent; defaults: true
  // makes both sides show it, so the comparison is of what a collector sees.
  it('writes what the maintained serializer writes, as the maintained decoder reads it', () => {
    const list = spans();
    const ours = decode(encodeTraces(list));
    const theirs = decode(ProtobufTraceSerializer.serializeRequest(list as never) as Uint8Array);
    expect(ours).toEqual(theirs);
  });

  it('encodes a large batch (containers over 16 KiB) identically', () => {
    const many: SpanRecord[] = [];
    for (let i = 0; i < 300; i++) many.push(...spans().slice(0, 2));
    expect(decode(encodeTraces(many))).toEqual(decode(ProtobufTraceSerializer.serializeRequest(many as never) as Uint8Array));
  });

  it('writes the same request through a SpanQueue batch (spans written into room left for the head)', () => {
    const sink = new FakeSink();
    const queue = new SpanQueue(sink, { maxQueueSpans: 10_000, maxBatchSpans: 5_000, flushIntervalMs: 1000 }, new FakeScheduler());
    const many: SpanRecord[] = [];
    for (let i = 0; i < 1200; i++) many.push(...spans().slice(0, 2));
    for (const span of many) queue.push(span);
    void queue.flush();
    expect(sink.bytes).toHaveLength(1);
    expect(decode(sink.bytes[0] as Uint8Array)).toEqual(decode(ProtobufTraceSerializer.serializeRequest(many as never) as Uint8Array));
  });

  it('encodes an empty batch as an empty request', () => {
    expect(encodeTraces([]).length).toBe(0);
  });
});

describe('ProtoWriter', () => {
  it('writes unix nanoseconds exactly, past 2^53', () => {
    for (const [s, ns] of [[0, 0], [1, 999_999_999], [1_765_000_000, 123_456_789], [4_294_967_295, 999_999_999], [65_536, 1]] as const) {
      const w = new ProtoWriter(16);
      w.nanos(1, s, ns);
      const bytes = Buffer.from(w.finish());
      expect(bytes[0]).toBe(0x09); // field 1, fixed64
      expect(bytes.readBigUInt64LE(1)).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
    }
  });

  it('sizes and writes varints, and moves nested bodies whose length is not two bytes', () => {
    expect([0, 127, 128, 16_383, 16_384, 2 ** 21].map(varintSize)).toEqual([1, 1, 2, 2, 3, 4]);
    for (const [length, reserve] of [0, 5, 127, 128, 300, 16_383, 16_384, 70_000].flatMap((l) => [[l, 1], [l, 2], [l, 3]] as const)) {
      const w = new ProtoWriter(8);
      const mark = w.begin(3, reserve);
      w.string(1, 'x'.repeat(Math.max(0, length - 1 - varintSize(Math.max(0, length - 1 - 1)) )));
      w.end(mark);
      const bytes = Buffer.from(w.finish());
      // tag, then the body's length as a varint, then exactly that many bytes.
      let n = 0;
      let shift = 1;
      let at = 1;
      for (;;) {
        const b = bytes[at++] as number;
        n += (b & 127) * shift;
        if (b < 128) break;
        shift *= 128;
      }
      expect(at + n).toBe(bytes.length);
    }
  });
});
