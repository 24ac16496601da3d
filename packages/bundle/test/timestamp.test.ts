import { formatTimestamp, parseTimestamp } from '@weir/bundle';

describe('bundle timestamps', () => {
  it('reads RFC 3339 UTC timestamps to the second or millisecond', () => {
    expect(parseTimestamp('2026-12-06T17:00:00Z')).toBe(Date.UTC(2026, 11, 6, 17));
    expect(parseTimestamp('2026-12-06T17:00:00.250Z')).toBe(Date.UTC(2026, 11, 6, 17, 0, 0, 250));
    expect(parseTimestamp('2028-02-29T00:00:00.000Z')).toBe(Date.UTC(2028, 1, 29));
    expect(formatTimestamp(Date.UTC(2026, 11, 6, 17))).toBe('2026-12-06T17:00:00.000Z');
  });

  it.each([
    '2026-12-06T17:00:00', // no zone
    '2026-12-06T17:00:00+01:00', // not UTC
    '2026-12-06 17:00:00Z',
    '2026-12-06T17:00:00.1234Z', // below the millisecond
    '2026-02-31T00:00:00Z', // not a date
    '2026-12-06T24:00:00Z',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});
