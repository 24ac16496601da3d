import { correctedInitialAge, currentAge, freshnessLifetime, parseAge, parseCacheControl } from '@weir/cache';
import { httpDate, T0 } from './support/fixtures';

const heuristic = { heuristicPercent: 10, maxHeuristicSeconds: 3600 };

function lifetime(cc: string | null, expires: string[] = [], lastModified = NaN, status = 200, h = heuristic): number {
  return freshnessLifetime(status, parseCacheControl(cc), T0, expires, lastModified, h);
}

describe('freshnessLifetime (RFC 9111 §4.2.1)', () => {
  it('prefers s-maxage over max-age over Expires', () => {
    expect(lifetime('max-age=60, s-maxage=30', [httpDate(T0 + 999_000)])).toBe(30_000);
    expect(lifetime('max-age=60', [httpDate(T0 + 999_000)])).toBe(60_000);
    expect(lifetime(null, [httpDate(T0 + 120_000)])).toBe(120_000);
  });

  it('treats Expires in the past, invalid or conflicting duplicates as expired', () => {
    expect(lifetime(null, [httpDate(T0 - 1000)])).toBe(0);
    expect(lifetime(null, ['0'])).toBe(0);
    expect(lifetime(null, [httpDate(T0 + 60_000), httpDate(T0 + 90_000)])).toBe(0);
    expect(lifetime(null, [httpDate(T0 + 60_000), httpDate(T0 + 60_000)])).toBe(60_000);
  });

  it('uses the heuristic: percent of Date - Last-Modified, capped', () => {
    expect(lifetime(null, [], T0 - 1000_000)).toBe(100_000);
    expect(lifetime(null, [], T0 - 100 * 3600_000)).toBe(3600_000);
    expect(lifetime(null, [], T0 + 1000)).toBe(0);
  });

  it('applies the heuristic only to heuristically cacheable statuses or public, and only when enabled', () => {
    expect(lifetime(null, [], T0 - 1000_000, 302)).toBe(0);
    expect(lifetime('public', [], T0 - 1000_000, 302)).toBe(100_000);
    expect(lifetime(null, [], T0 - 1000_000, 404)).toBe(100_000);
    expect(lifetime(null, [], T0 - 1000_000, 200, { heuristicPercent: 0, maxHeuristicSeconds: 3600 })).toBe(0);
    expect(lifetime(null, [], NaN)).toBe(0);
  });
});

describe('age (RFC 9111 §4.2.3)', () => {
  it('parses Age: first member, invalid ignored', () => {
    expect(parseAge('30')).toBe(30);
    expect(parseAge('30, 40')).toBe(30);
    expect(parseAge('x')).toBe(0);
    expect(parseAge(null)).toBe(0);
  });

  it('uses the apparent age when the Date is older than the Age says', () => {
    // Date 10 s before receipt, Age 2, 1 s round trip: max(10 s, 2 s + 1 s)
    expect(correctedInitialAge(2, T0 - 10_000, T0 - 1000, T0)).toBe(10_000);
  });

  it('corrects the Age value by the response delay', () => {
    // Date == receipt (apparent age 0), Age 5, request sent 2 s before the response arrived
    expect(correctedInitialAge(5, T0, T0 - 2000, T0)).toBe(7000);
  });

  it('never yields a negative apparent age (Date in the future)', () => {
    expect(correctedInitialAge(0, T0 + 60_000, T0, T0)).toBe(0);
  });

  it('adds the resident time', () => {
    expect(currentAge(7000, T0, T0 + 3000)).toBe(10_000);
    expect(currentAge(7000, T0, T0 - 3000)).toBe(7000);
  });
});
