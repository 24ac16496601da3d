import { ProtoWriter } from './proto-writer';

/**
 * OTLP `Span` messages written field by field (opentelemetry-proto `trace/v1/trace.proto`): the
 * one encoder behind both the data plane's per-request spans (written straight from what the
 * exchange knows, no span object in between) and `encodeSpanRecord` (the control plane's
 * records, tests). Methods rather than functions: the hot path calls them on the writer it holds,
 * not through a module's exports.
 *
 * A span is `beginSpan`, any number of attributes (`strAttr`, `numAttr`, ...) and events
 * (`beginEvent`, their attributes in `EVENT_ATTRIBUTES`, `endEvent`), then `endSpan`. Protobuf
 * accepts fields in any order, so the status and flags go last, when they are known.
 *
 * Field numbers: ScopeSpans{spans=2}; Span{trace_id=1, span_id=2, parent_span_id=4, name=5,
 * kind=6, start_time_unix_nano=7, end_time_unix_nano=8, attributes=9, events=11, status=15,
 * flags=16}; Event{time_unix_nano=1, name=2, attributes=3}; Status{message=2, code=3};
 * KeyValue{key=1, value=2}; AnyValue{string_value=1, bool_value=2, int_value=3, double_value=4}.
 */

/** Where a KeyValue goes: a span's attributes, or an event's. */
export const SPAN_ATTRIBUTES = 9;
export const EVENT_ATTRIBUTES = 3;

/** SpanFlags: the low 8 bits are the W3C trace flags; bit 8 says bit 9 (parent is remote) is set. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/**
 * An attribute key encoded once (the KeyValue's `key` field: tag, length, bytes), for the keys
 * the data plane writes on every span.
 */
export type AttrKey = Uint8Array & { readonly __attrKey: true };

/** Encode `name` as a KeyValue key field. */
export function attrKey(name: string): AttrKey {
  const w = new ProtoWriter(name.length * 3 + 8);
  w.string(1, name);
  return Uint8Array.from(w.finish()) as AttrKey;
}

export class SpanWriter extends ProtoWriter {
  /**
   * Start a span. `kind` is the API's SpanKind (INTERNAL 0, SERVER 1, CLIENT 2, ...), written as
   * OTLP's (+1). Times are epoch milliseconds with fractions. Returns the mark `endSpan` needs.
   */
  beginSpan(traceId: string, spanId: string, parentSpanId: string | null, name: string, kind: number, startEpochMs: number, endEpochMs: number): number {
    const mark = this.begin(2, 2);
    this.hex(1, traceId);
    this.hex(2, spanId);
    if (parentSpanId !== null) this.hex(4, parentSpanId);
    this.string(5, name);
    this.uint(6, kind + 1);
    this.epochMs(7, startEpochMs);
    this.epochMs(8, endEpochMs);
    return mark;
  }

  /**
   * End the span started at `mark`: its status (`code` 0 unset, 2 error; `message` '' for none)
   * and flags (sampled; whether the parent is remote, only meaningful with a parent).
   */
  endSpan(mark: number, statusCode: number, statusMessage: string, parentIsRemote: boolean): void {
    const st = this.begin(15, 1);
    this.string(2, statusMessage);
    this.uint(3, statusCode);
    this.end(st);
    // Every span Weir writes is sampled (trace flags 01).
    this.fixed32(16, 0x01 | HAS_IS_REMOTE | (parentIsRemote ? IS_REMOTE : 0));
    this.end(mark);
  }

  /** A string attribute (an empty string is still written as a string value). */
  strAttr(field: number, k: AttrKey | string, value: string): void {
    if (typeof k !== 'string' && this.shortAsciiAttr(field, k, value)) return;
    const kv = this.begin(field, 1);
    this.key(k);
    const any = this.begin(2, 1);
    if (value === '') {
      this.tag(1, 2);
      this.varint(0);
    } else this.string(1, value);
    this.end(any);
    this.end(kv);
  }

  /**
   * A number attribute: a non-negative safe integer as int_value, anything else as double_value
   * (the maintained serializer writes negative integers as int64; Weir sets none).
   */
  numAttr(field: number, k: AttrKey | string, value: number): void {
    const kv = this.begin(field, 1);
    this.key(k);
    const any = this.begin(2, 1);
    if (Number.isSafeInteger(value) && value >= 0) {
      this.tag(3, 0);
      this.varint(value);
    } else this.double(4, value);
    this.end(any);
    this.end(kv);
  }

  boolAttr(field: number, k: AttrKey | string, value: boolean): void {
    const kv = this.begin(field, 1);
    this.key(k);
    const any = this.begin(2, 1);
    this.tag(2, 0);
    this.varint(value ? 1 : 0);
    this.end(any);
    this.end(kv);
  }

  /** Scalar attributes of a record in `field`; other values (arrays, null, undefined) are skipped. */
  attributes(field: number, attrs: Readonly<Record<string, unknown>>): void {
    for (const k in attrs) {
      const value = attrs[k];
      if (typeof value === 'string') this.strAttr(field, k, value);
      else if (typeof value === 'number') this.numAttr(field, k, value);
      else if (typeof value === 'boolean') this.boolAttr(field, k, value);
    }
  }

  /** Start an event of the current span; its attributes go in `EVENT_ATTRIBUTES`. */
  beginEvent(name: string, epochMs: number): number {
    const mark = this.begin(11, 1);
    this.epochMs(1, epochMs);
    this.string(2, name);
    return mark;
  }

  endEvent(mark: number): void {
    this.end(mark);
  }

  /**
   * The common case of `strAttr` in one pass: an encoded key and a short ASCII value, so every
   * length fits one byte and is known before writing. Returns false (nothing written) otherwise.
   */
  private shortAsciiAttr(field: number, k: AttrKey, value: string): boolean {
    const n = value.length;
    const kvLength = k.length + 4 + n;
    if (kvLength >= 128) return false;
    this.ensure(kvLength + 2);
    const buf = this.buf;
    const start = this.pos;
    let at = start;
    buf[at++] = field * 8 + 2;
    buf[at++] = kvLength;
    for (let i = 0; i < k.length; i++) buf[at++] = k[i] as number;
    buf[at++] = 0x12; // AnyValue, length-delimited
    buf[at++] = n + 2;
    buf[at++] = 0x0a; // string_value
    buf[at++] = n;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return false; // pos not moved yet: the general path overwrites this
      buf[at++] = c;
    }
    this.pos = at;
    return true;
  }

  private key(k: AttrKey | string): void {
    if (typeof k === 'string') this.string(1, k);
    else this.raw(k);
  }
}
