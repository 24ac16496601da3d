/**
 * The `traceparent` header of W3C Trace Context Level 1, section 3.2
 * (https://www.w3.org/TR/trace-context/#traceparent-header):
 *
 * ```
 *   00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 *   ^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^ ^^
 *   |  trace-id (chars 3..34)           parent-id 36..51 flags 53..54
 *   version (chars 0..1); '-' at 2, 35, 52 (and 55 for longer future versions)
 * ```
 *
 * Parsing is a char loop over a 128-entry lookup table: it runs once per proxied request, so it
 * allocates nothing but the result and its two id strings.
 */

/** A valid incoming `traceparent`: lowercase hex ids, 32 and 16 chars. */
export interface TraceParent {
  readonly traceId: string;
  readonly parentId: string;
  /** Bit 0 of trace-flags: the caller recorded (or will record) its span. */
  readonly sampled: boolean;
}

const DASH = 45;
/** Value of each lowercase hex digit by char code, -1 for everything else (uppercase too). */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = 10 + c;

function hexAt(value: string, index: number): number {
  const code = value.charCodeAt(index);
  return code < 128 ? (HEX[code] as number) : -1;
}

/** OR of all hex digits in [from, to): -1 if one is not lowercase hex, 0 if all are zero. */
function hexRun(value: string, from: number, to: number): number {
  let acc = 0;
  for (let i = from; i < to; i++) {
    const h = hexAt(value, i);
    if (h < 0) return -1;
    acc |= h;
  }
  return acc;
}

/**
 * Parse a `traceparent` header value; null for anything invalid, which the caller treats as
 * "no parent" and starts a new trace (section 3.2.2.x "restart the trace").
 *
 * - version is 2 lowercase hex digits and `ff` is invalid;
 * - version `00` must be exactly 55 chars;
 * - a higher version may be longer if char 55 is `-`: its first four fields are parsed as
 *   version 00 and the rest is ignored (section 3.2.4, "versioning of traceparent");
 * - only lowercase hex is accepted, and an all-zero trace-id or parent-id is invalid.
 */
export function parseTraceParent(value: string | undefined): TraceParent | null {
  if (value === undefined) return null;
  const length = value.length;
  if (length < 55) return null;
  const v0 = hexAt(value, 0);
  const v1 = hexAt(value, 1);
  if (v0 < 0 || v1 < 0) return null;
  const version = v0 * 16 + v1;
  if (version === 0xff) return null;
  if (version === 0) {
    if (length !== 55) return null;
  } else if (length > 55 && value.charCodeAt(55) !== DASH) {
    return null;
  }
  if (value.charCodeAt(2) !== DASH || value.charCodeAt(35) !== DASH || value.charCodeAt(52) !== DASH) return null;
  if (hexRun(value, 3, 35) <= 0) return null;
  if (hexRun(value, 36, 52) <= 0) return null;
  const f0 = hexAt(value, 53);
  const f1 = hexAt(value, 54);
  if (f0 < 0 || f1 < 0) return null;
  return { traceId: value.slice(3, 35), parentId: value.slice(36, 52), sampled: (f1 & 1) === 1 };
}

/**
 * The `traceparent` to send upstream: always version 00, with our span as the parent and the
 * sampled flag as decided. `traceId` and `spanId` are trusted lowercase hex (32 and 16 chars).
 */
export function formatTraceParent(traceId: string, spanId: string, sampled: boolean): string {
  return '00-' + traceId + '-' + spanId + (sampled ? '-01' : '-00');
}
