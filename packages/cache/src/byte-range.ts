/**
 * Single `Range: bytes=` requests against a stored full body (RFC 9110 §14).
 */

/** The outcome of a Range header against a body of known length. */
export class ByteRange {
  constructor(
    /** `'full'`: ignore the header and send 200; `'partial'`: send 206; `'unsatisfiable'`: send 416. */
    readonly kind: 'full' | 'partial' | 'unsatisfiable',
    /** First byte (inclusive), for `'partial'`. */
    readonly start: number,
    /** Last byte (inclusive), for `'partial'`. */
    readonly end: number,
  ) {}
}

const FULL = new ByteRange('full', 0, 0);
const UNSATISFIABLE = new ByteRange('unsatisfiable', 0, 0);

function digits(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(s);
}

/**
 * Evaluates a Range value for a body of `length` bytes. Anything other than exactly one
 * well-formed `bytes` range (other units, syntax errors, several ranges) gives `'full'`: a
 * server may ignore Range, and sending the whole body is never wrong. `bytes=a-b` with
 * `a >= length`, or a zero-length suffix `bytes=-0`, is `'unsatisfiable'`. The end is clamped
 * to `length - 1`.
 */
export function evaluateRange(value: string, length: number): ByteRange {
  const eq = value.indexOf('=');
  if (eq === -1 || value.slice(0, eq).trim().toLowerCase() !== 'bytes') return FULL;
  const spec = value.slice(eq + 1).trim();
  if (spec.includes(',')) return FULL;
  const dash = spec.indexOf('-');
  if (dash === -1) return FULL;
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();
  if (first.length === 0) {
    const suffix = digits(last);
    if (suffix < 0) return FULL;
    if (suffix === 0 || length === 0) return UNSATISFIABLE;
    return new ByteRange('partial', Math.max(0, length - suffix), length - 1);
  }
  const start = digits(first);
  if (start < 0) return FULL;
  let end = length - 1;
  if (last.length > 0) {
    end = digits(last);
    if (end < 0 || end < start) return FULL;
    if (end > length - 1) end = length - 1;
  }
  if (start >= length) return UNSATISFIABLE;
  return new ByteRange('partial', start, end);
}
