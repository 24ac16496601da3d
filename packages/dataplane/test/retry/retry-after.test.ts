import { parseRetryAfter } from '../../src/retry/index';

describe('parseRetryAfter', () => {
  const now = Date.parse('Sun, 06 Nov 1994 08:49:37 GMT');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 3 ', now)).toBe(3_000);
    expect(parseRetryAfter(['4', '9'], now)).toBe(4_000);
  });

  it('clamps absurd values to a day', () => {
    expect(parseRetryAfter('99999999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('Sun, 06 Nov 2094 08:49:37 GMT', now)).toBe(86_400_000);
  });

  it('reads an HTTP-date relative to the wall clock, 0 when past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:39 GMT', now)).toBe(2_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:30 GMT', now)).toBe(0);
  });

  it('rejects absent, empty and invalid values', () => {
    expect(parseRetryAfter(undefined, now)).toBe(-1);
    expect(parseRetryAfter('', now)).toBe(-1);
    expect(parseRetryAfter([], now)).toBe(-1);
    expect(parseRetryAfter('-1', now)).toBe(-1);
    expect(parseRetryAfter('1.5', now)).toBe(-1);
    expect(parseRetryAfter('soon', now)).toBe(-1);
  });
});
