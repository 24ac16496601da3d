/** Wire types of the protobuf encoding (https://protobuf.dev/programming-guides/encoding/). */
export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

/** Bytes a varint of `n` (0 <= n < 2^53) takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** The value of each lowercase hex digit by char code (ids are validated lowercase hex). */
const NIBBLE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) NIBBLE[c] = c - 48;
for (let c = 97; c <= 102; c++) NIBBLE[c] = c - 87;


/**
 * A minimal protobuf writer into one growing Buffer, for the OTLP encoding. Nested messages are
 * written in one pass: `begin` reserves bytes for the length by the size the message usually
 * has, `end` writes the length there and moves the body only when its varint is shorter or
 * longer than reserved (rare: a tiny span, an attribute value over 127 bytes).
 */
export class ProtoWriter {
  protected buf: Buffer;
  protected pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** The bytes written so far (a view of the writer's buffer). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Start over, keeping the buffer (views from `finish` are overwritten by what comes next). */
  reset(): void {
    this.pos = 0;
  }

  /** Leave `n` bytes unwritten (room for a header that `frame` fills in later). */
  skip(n: number): void {
    this.ensure(n);
    this.pos += n;
  }

  /**
   * `head` copied just before `bodyStart` (into room left by `skip`), and a view of head and
   * body together: the body is never copied.
   */
  frame(bodyStart: number, head: Uint8Array): Uint8Array {
    const start = bodyStart - head.length;
    if (start < 0) throw new RangeError('frame: no room for the head');
    this.buf.set(head, start);
    return this.buf.subarray(start, this.pos);
  }

  /** Copy already-encoded bytes (a whole field). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    if (n > 64) {
      this.buf.set(bytes, this.pos);
      this.pos += n;
      return;
    }
    // A short field (an attribute key): a loop beats the call into the runtime.
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < n; i++) buf[at++] = bytes[i] as number;
    this.pos = at;
  }

  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(n: number): void {
    if (n < 128 && this.pos < this.buf.length) {
      this.buf[this.pos++] = n;
      return;
    }
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (n >= 128) {
      buf[pos++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A string field (UTF-8), skipped when empty (proto3 default). */
  string(field: number, value: string): void {
    if (value === '') return;
    this.tag(field, LENGTH_DELIMITED);
    this.text(value);
  }

  /**
   * A length-prefixed UTF-8 string. Short ASCII strings (every attribute key and nearly every
   * value Weir writes) are copied in JS: cheaper than two calls into C++ (`byteLength`, `write`).
   */
  text(value: string): void {
    const n = value.length;
    if (n < 128) {
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + 1 + i] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.pos = start + 1 + n;
        return;
      }
    }
    const length = Buffer.byteLength(value);
    this.varint(length);
    this.ensure(length);
    this.pos += this.buf.write(value, this.pos, length, 'utf8');
  }

  /** A bytes field from lowercase hex (trace and span ids), skipped when empty. */
  hex(field: number, value: string): void {
    if (value === '') return;
    const length = value.length >> 1;
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.ensure(length);
    const buf = this.buf;
    let at = this.pos;
    for (let i = 0; i < value.length; i += 2) buf[at++] = ((NIBBLE[value.charCodeAt(i) & 127] as number) << 4) | (NIBBLE[value.charCodeAt(i + 1) & 127] as number);
    this.pos = at;
  }

  /** A non-negative integer field as a varint, skipped when 0. */
  uint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(value);
  }

  fixed32(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /**
   * A fixed64 of `seconds * 1e9 + nanos` (an HrTime as unix nanoseconds), exact without BigInt:
   * the product is split in 16-bit limbs so every intermediate stays below 2^53.
   */
  nanos(field: number, seconds: number, nanos: number): void {
    this.tag(field, FIXED64);
    const low16 = (seconds % 65536) * 1e9 + nanos; // < 2^47
    const high = Math.floor(seconds / 65536) * 1e9; // scaled by 2^16
    const highLow16 = high % 65536;
    const x = highLow16 * 65536 + low16; // < 2^48
    const lo = x % 4294967296;
    const hi = Math.floor(high / 65536) + Math.floor(x / 4294967296);
    this.ensure(8);
    this.buf.writeUInt32LE(lo, this.pos);
    this.buf.writeUInt32LE(hi, this.pos + 4);
    this.pos += 8;
  }

  /** A fixed64 of unix nanoseconds from epoch milliseconds (fractions kept), as `epochHrTime` splits them. */
  epochMs(field: number, ms: number): void {
    const wholeMs = Math.floor(ms);
    const seconds = Math.floor(wholeMs / 1000);
    let nanos = (wholeMs - seconds * 1000) * 1e6 + Math.round((ms - wholeMs) * 1e6);
    if (nanos >= 1e9) {
      this.nanos(field, seconds + 1, nanos - 1e9);
      return;
    }
    if (nanos < 0) nanos = 0;
    this.nanos(field, seconds, nanos);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * Start a nested message in `field`, reserving `reserve` bytes (1-3) for its length: 1 for the
   * small messages (a key-value pair), 2 for a span, 3 for the containers of a batch. Returns
   * the mark `end` needs.
   */
  begin(field: number, reserve: 1 | 2 | 3): number {
    this.tag(field, LENGTH_DELIMITED);
    this.ensure(reserve);
    const mark = this.pos;
    this.pos += reserve;
    return mark * 4 + reserve;
  }

  /** End the nested message started at `mark`: write its length, moving the body if needed. */
  end(mark: number): void {
    const reserved = mark % 4;
    mark = (mark - reserved) / 4;
    const bodyStart = mark + reserved;
    const length = this.pos - bodyStart;
    const size = varintSize(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(mark + size, bodyStart, this.pos);
      this.pos += size - reserved;
    }
    let n = length;
    let at = mark;
    const buf = this.buf;
    while (n >= 128) {
      buf[at++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    buf[at] = n;
  }
}
