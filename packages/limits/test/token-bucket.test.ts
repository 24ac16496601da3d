import { TokenBucket } from '@weir/limits';

describe('TokenBucket', () => {
  it('starts full and grants whole tokens up to burst', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(bucket.remaining(0)).toBe(5);
    expect(bucket.take(3, 0)).toBe(3);
    expect(bucket.take(3, 0)).toBe(2);
    expect(bucket.take(1, 0)).toBe(0);
    expect(bucket.remaining(0)).toBe(0);
  });

  it('refills lazily at the rate and never above burst', () => {
    const bucket = new TokenBucket(10, 5, 0);
    bucket.take(5, 0);
    expect(bucket.take(1, 50)).toBe(0); // half a token
    expect(bucket.take(1, 100)).toBe(1);
    expect(bucket.remaining(10_000)).toBe(5);
    expect(bucket.isFull(10_000)).toBe(true);
  });

  it('reports the time until the next whole token', () => {
    const bucket = new TokenBucket(4, 1, 0);
    expect(bucket.msUntilToken(0)).toBe(0);
    bucket.take(1, 0);
    expect(bucket.msUntilToken(0)).toBe(250);
    expect(bucket.msUntilToken(200)).toBe(50);
    expect(bucket.msUntilToken(250)).toBe(0);
  });

  it('rounds a sub-millisecond wait up to 1 ms', () => {
    const bucket = new TokenBucket(1_000_000, 1, 0);
    bucket.take(1, 0);
    expect(bucket.msUntilToken(0)).toBe(1);
  });

  it('gives tokens back capped at burst', () => {
    const bucket = new TokenBucket(1, 5, 0);
    bucket.take(4, 0);
    bucket.give(2, 0);
    expect(bucket.remaining(0)).toBe(3);
    bucket.give(100, 0);
    expect(bucket.remaining(0)).toBe(5);
  });

  it('ignores a clock reading older than its last update', () => {
    const bucket = new TokenBucket(10, 5, 1000);
    bucket.take(5, 1000);
    expect(bucket.take(1, 500)).toBe(0);
    expect(bucket.take(1, 1100)).toBe(1);
  });

  it('admits burst + rate x t over a long run, never more', () => {
    const bucket = new TokenBucket(7, 3, 0);
    let admitted = 0;
    for (let t = 0; t <= 10_000; t++) admitted += bucket.take(1, t);
    expect(admitted).toBe(3 + 70);
  });

  it('can start below burst', () => {
    const bucket = new TokenBucket(1, 5, 0, 2);
    expect(bucket.remaining(0)).toBe(2);
    expect(bucket.isFull(0)).toBe(false);
  });
});

describe('TokenBucket.msUntilToken(now, count)', () => {
  it('waits for several tokens, at most burst', () => {
    const bucket = new TokenBucket(10, 5, 0);
    bucket.take(5, 0);
    expect(bucket.msUntilToken(0, 3)).toBe(300);
    expect(bucket.msUntilToken(0, 50)).toBe(500);
  });
});
