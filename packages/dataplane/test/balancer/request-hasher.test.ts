import { NO_HASH, RequestHasher, hashString } from '@weir/dataplane';

describe('RequestHasher', () => {
  it('hashes the first value of a header, by case-insensitive name', () => {
    const h = new RequestHasher({ kind: 'header', name: 'x-user' });
    const a = h.hash(['Host', 'x', 'X-User', 'alice', 'x-user', 'bob'], '127.0.0.1');
    expect(a).toBe(hashString('alice', 0));
    expect(h.hash(['x-user', 'alice'], undefined)).toBe(a);
    expect(h.hash(['x-users', 'alice', 'host', 'x'], '127.0.0.1')).toBe(NO_HASH);
  });

  it('hashes a cookie value wherever the pair sits in the header', () => {
    const h = new RequestHasher({ kind: 'cookie', name: 'sid' });
    const expected = hashString('abc', 0);
    expect(h.hash(['cookie', 'sid=abc'], undefined)).toBe(expected);
    expect(h.hash(['Cookie', 'a=1; sid=abc; b=2'], undefined)).toBe(expected);
    expect(h.hash(['cookie', 'a=1;sid=abc '], undefined)).toBe(expected);
    expect(h.hash(['cookie', 'xsid=zzz; sid=abc'], undefined)).toBe(expected);
    expect(h.hash(['cookie', 'a=1', 'cookie', 'sid=abc'], undefined)).toBe(expected);
  });

  it('answers NO_HASH without the cookie, and hashes an empty value', () => {
    const h = new RequestHasher({ kind: 'cookie', name: 'sid' });
    expect(h.hash(['cookie', 'xsid=1; sidx=2'], undefined)).toBe(NO_HASH);
    expect(h.hash(['host', 'x'], undefined)).toBe(NO_HASH);
    expect(h.hash(['cookie', 'sid='], undefined)).toBe(hashString('', 0));
  });

  it('hashes the client address', () => {
    const h = new RequestHasher({ kind: 'clientAddress' });
    expect(h.hash([], '10.1.2.3')).toBe(hashString('10.1.2.3', 0));
    expect(h.hash([], undefined)).toBe(NO_HASH);
  });
});

describe('hashString', () => {
  it('is a stable unsigned 32-bit value that differs for near keys', () => {
    const a = hashString('10.0.0.1', 0);
    expect(a).toBe(hashString('10.0.0.1', 0));
    expect(Number.isInteger(a) && a >= 0 && a <= 0xffffffff).toBe(true);
    expect(hashString('10.0.0.2', 0)).not.toBe(a);
    expect(hashString('10.0.0.1', 1)).not.toBe(a);
  });

  it('spreads sequential keys evenly over the high bits', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[hashString(`k${i}`, 0) >>> 28]!++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});
