import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { ProtoWriter, varintSize } from './proto-writer';
import { SpanWriter } from './span-writer';

/**
 * What every span of one batch shares: the process resource and the instrumentation scope, with
 * their OTLP encodings made once (`Resource` as ResourceSpans field 1, `InstrumentationScope` as
 * ScopeSpans field 1), so closing a batch only writes two lengths around them.
 */
export class SpanGroup {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  private readonly resourceField: Uint8Array;
  private readonly scopeField: Uint8Array;

  constructor(resource: Resource, scope: InstrumentationScope) {
    this.resource = resource;
    this.scope = scope;
    const r = new SpanWriter(512);
    const rm = r.begin(1, 2);
    r.attributes(1, resource.attributes);
    r.end(rm);
    this.resourceField = Uint8Array.from(r.finish());
    const s = new ProtoWriter(128);
    const sm = s.begin(1, 1);
    s.string(1, scope.name);
    s.string(2, scope.version ?? '');
    s.end(sm);
    this.scopeField = Uint8Array.from(s.finish());
  }

  /** Bytes to leave before a batch's spans for `head` (the longest varints of their lengths). */
  headRoom(): number {
    return this.resourceField.length + this.scopeField.length + 12;
  }

  /**
   * What goes before `spansLength` bytes of spans to make them one ExportTraceServiceRequest:
   * the ResourceSpans tag and length, the resource, the ScopeSpans tag and length, the scope.
   */
  head(spansLength: number): Uint8Array {
    const scopeSpansLength = this.scopeField.length + spansLength;
    const resourceSpansLength = this.resourceField.length + 1 + varintSize(scopeSpansLength) + scopeSpansLength;
    const w = new ProtoWriter(this.headRoom());
    w.tag(1, 2);
    w.varint(resourceSpansLength);
    w.raw(this.resourceField);
    w.tag(2, 2);
    w.varint(scopeSpansLength);
    w.raw(this.scopeField);
    return w.finish();
  }
}
