import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createResource, SpanKind, SpanRecord, weirScope } from '@weir/tracing';
import { encodeSpanRecord } from '../../src/export/otlp-encoder';
import { encodeTraces } from '../support/encode-traces';
import { SpanGroup } from '../../src/export/span-group';
import { attrKey, SPAN_ATTRIBUTES, SpanWriter } from '../../src/export/span-writer';
import { decodeOtlpSpans } from '../../../../tools/jest/otlp-decode';

/** SpanWriter's encoded-key fast path writes what the general path writes, for any value. */

const resource = createResource({ 'service.name': 'w' });
const scope = weirScope('1');

function request(write: (w: SpanWriter) => void): Uint8Array {
  const group = new SpanGroup(resource, scope);
  const w = new SpanWriter(64);
  w.skip(group.headRoom());
  const mark = w.beginSpan('a'.repeat(32), 'b'.repeat(16), null, 'n', SpanKind.SERVER, 1, 2);
  write(w);
  w.endSpan(mark, 0, '', false);
  return w.frame(group.headRoom(), group.head(w.length - group.headRoom()));
}

describe('SpanWriter', () => {
  const values = ['', 'GET', '/ascii/path', '/ünïcode', 'x'.repeat(119), 'x'.repeat(120), 'y'.repeat(500), '€'];

  it.each(values)('strAttr with an encoded key equals the string key and the maintained serializer (%#)', (value) => {
    const viaKey = decodeOtlpSpans(request((w) => w.strAttr(SPAN_ATTRIBUTES, attrKey('url.path'), value)));
    const viaString = decodeOtlpSpans(request((w) => w.strAttr(SPAN_ATTRIBUTES, 'url.path', value)));
    expect(viaKey).toEqual(viaString);
    expect(viaKey[0]?.attributes).toEqual({ 'url.path': value });
    const record = new SpanRecord('n', SpanKind.SERVER, 'a'.repeat(32), 'b'.repeat(16), null, false, 1, 2, { 'url.path': value }, resource, scope);
    expect(viaKey).toEqual(decodeOtlpSpans(ProtobufTraceSerializer.serializeRequest([record] as never) as Uint8Array));
  });

  it('frames a batch without copying: head and spans equal encodeTraces of the same records', () => {
    const records = [1, 2, 3].map((i) => new SpanRecord(`s${i}`, SpanKind.CLIENT, 'c'.repeat(32), `${i}`.padStart(16, '0'), 'd'.repeat(16), false, i, i + 1, { i }, resource, scope));
    const group = new SpanGroup(resource, scope);
    const w = new SpanWriter(16);
    w.skip(group.headRoom());
    for (const r of records) encodeSpanRecord(w, r);
    const framed = w.frame(group.headRoom(), group.head(w.length - group.headRoom()));
    expect(Buffer.from(framed).equals(Buffer.from(encodeTraces(records)))).toBe(true);
  });
});
