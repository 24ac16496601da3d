import { formatTraceParent, parseTraceParent } from '@weir/tracing';

// Vectors from W3C Trace Context Level 1 section 3.2 and its test suite (test/test_data).
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;

describe('parseTraceParent', () => {
  it('parses the example from section 3.2', () => {
    expect(parseTraceParent(VALID)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: true });
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-00`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: false });
  });

  it('reads only bit 0 of the flags as sampled', () => {
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-03`)?.sampled).toBe(true);
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-02`)?.sampled).toBe(false);
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-ff`)?.sampled).toBe(true);
  });

  it('returns null for absent or empty values', () => {
    expect(parseTraceParent(undefined)).toBeNull();
    expect(parseTraceParent('')).toBeNull();
  });

  it('rejects uppercase hex anywhere', () => {
    expect(parseTraceParent(`00-${TRACE.toUpperCase()}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-00F067AA0BA902B7-01`)).toBeNull();
    expect(parseTraceParent(`0A-${TRACE}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-0A`)).toBeNull();
  });

  it('rejects version ff and non-hex versions', () => {
    expect(parseTraceParent(`ff-${TRACE}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`0g-${TRACE}-${PARENT}-01`)).toBeNull();
  });

  it('accepts a future version that is longer when char 55 is a dash, and ignores the rest', () => {
    expect(parseTraceParent(`cc-${TRACE}-${PARENT}-01-what-the-future-will-be-like`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: true });
    expect(parseTraceParent(`01-${TRACE}-${PARENT}-00`)).toEqual({ traceId: TRACE, parentId: PARENT, sampled: false });
    expect(parseTraceParent(`cc-${TRACE}-${PARENT}-01.what-the-future-will-be-like`)).toBeNull();
  });

  it('rejects version 00 with anything after the flags', () => {
    expect(parseTraceParent(`${VALID}-`)).toBeNull();
    expect(parseTraceParent(`${VALID}-extra`)).toBeNull();
    expect(parseTraceParent(`${VALID} `)).toBeNull();
  });

  it('rejects all-zero trace-id or parent-id', () => {
    expect(parseTraceParent(`00-${'0'.repeat(32)}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-${'0'.repeat(16)}-01`)).toBeNull();
  });

  it('rejects wrong field lengths', () => {
    expect(parseTraceParent(`00-${TRACE}0-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE.slice(1)}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-${PARENT.slice(1)}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-1`)).toBeNull();
    expect(parseTraceParent(`0-${TRACE}-${PARENT}-01`)).toBeNull();
  });

  it('rejects bad separators and non-ASCII', () => {
    expect(parseTraceParent(`00_${TRACE}-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}_${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE}-${PARENT}_01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE.slice(0, 31)}é-${PARENT}-01`)).toBeNull();
    expect(parseTraceParent(`00-${TRACE.slice(0, 31)}.-${PARENT}-01`)).toBeNull();
  });
});

describe('formatTraceParent', () => {
  it('formats version 00 with the sampled flag and round-trips', () => {
    expect(formatTraceParent(TRACE, PARENT, true)).toBe(VALID);
    expect(formatTraceParent(TRACE, PARENT, false)).toBe(`00-${TRACE}-${PARENT}-00`);
    expect(parseTraceParent(formatTraceParent(TRACE, PARENT, false))).toEqual({ traceId: TRACE, parentId: PARENT, sampled: false });
  });
});
