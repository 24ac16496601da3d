import type { SpanRecord } from '@weir/tracing';
import { encodeSpanRecord } from '../../src/export/otlp-encoder';
import { ProtoWriter } from '../../src/export/proto-writer';
import { SpanGroup } from '../../src/export/span-group';
import { SpanWriter } from '../../src/export/span-writer';

/**
 * One OTLP export request of `spans`, grouped by resource and scope (by identity), with Weir's
 * encoder: what the tests compare with the maintained serializer, and hand to sinks directly.
 */
export function encodeTraces(spans: readonly SpanRecord[]): Uint8Array {
  const groups = new Map<object, Map<object, SpanRecord[]>>();
  for (const span of spans) {
    let scopes = groups.get(span.resource);
    if (scopes === undefined) groups.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.instrumentationScope);
    if (list === undefined) scopes.set(span.instrumentationScope, (list = []));
    list.push(span);
  }
  const out = new ProtoWriter(spans.length * 512 + 256);
  for (const scopes of groups.values()) {
    for (const list of scopes.values()) {
      const body = new SpanWriter(list.length * 512 + 64);
      for (const record of list) encodeSpanRecord(body, record);
      const head = list[0] as SpanRecord;
      out.raw(new SpanGroup(head.resource, head.instrumentationScope).head(body.length));
      out.raw(body.finish());
    }
  }
  return out.finish();
}
