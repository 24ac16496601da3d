import { StickyChooser, claimKey, stickyKey } from '../../src/traffic/index';

const KEYS = 10_000;
/** Entries of 8 names over 4 equal entries, pinned: a change of hash would move every user. */
const PINNED = [3, 3, 0, 0, 3, 2, 3, 1];
function key(i: number): string {
  return `user-${i}`;
}
function assign(c: StickyChooser): number[] {
  const out: number[] = [];
  for (let i = 0; i < KEYS; i++) out.push(c.pick(key(i)));
  return out;
}
/** Five standard deviations of a binomial share. */
function tolerance(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

describe('StickyChooser', () => {
  it('is deterministic: same key, same entry, across instances (no seed)', () => {
    const a = new StickyChooser(['stable', 'canary'], [90, 10]);
    const b = new StickyChooser(['stable', 'canary'], [90, 10]);
    expect(assign(a)).toEqual(assign(b));
    // Pinned values: a change of hash would move every user; this catches it.
    const even = new StickyChooser(['a', 'b', 'c', 'd'], [1, 1, 1, 1]);
    expect(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map((k) => even.pick(k))).toEqual(PINNED);
  });

  it('returns the only entry without hashing', () => {
    expect(new StickyChooser(['a'], [5]).pick('anything')).toBe(0);
  });

  it('pickRange hashes a substring like pick', () => {
    const c = new StickyChooser(['a', 'b', 'c'], [1, 1, 1]);
    for (let i = 0; i < 200; i++) expect(c.pickRange(`x=${key(i)};`, 2, 2 + key(i).length)).toBe(c.pick(key(i)));
  });

  it('splits 10,000 keys 90/10 within bounds', () => {
    const got = assign(new StickyChooser(['stable', 'canary'], [90, 10]));
    const canary = got.filter((e) => e === 1).length / KEYS;
    expect(Math.abs(canary - 0.1)).toBeLessThan(tolerance(0.1, KEYS));
  });

  it('splits by weight across several entries', () => {
    const weights = [5, 3, 1, 1];
    const got = assign(new StickyChooser(['a', 'b', 'c', 'd'], weights));
    for (let e = 0; e < weights.length; e++) {
      const p = (weights[e] as number) / 10;
      expect(Math.abs(got.filter((x) => x === e).length / KEYS - p)).toBeLessThan(tolerance(p, KEYS));
    }
  });

  it('raising one weight only moves keys onto that entry', () => {
    const before = assign(new StickyChooser(['stable', 'canary', 'beta'], [80, 10, 10]));
    const after = assign(new StickyChooser(['stable', 'canary', 'beta'], [80, 30, 10]));
    let moved = 0;
    for (let i = 0; i < KEYS; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      expect(after[i]).toBe(1);
    }
    // 10% -> 25%: about 15% of the keys move, all onto canary.
    expect(Math.abs(moved / KEYS - 0.15)).toBeLessThan(tolerance(0.15, KEYS));
  });

  it('keeps assignments when the split order changes but the names do not', () => {
    const a = assign(new StickyChooser(['stable', 'canary'], [9, 1]));
    const b = assign(new StickyChooser(['canary', 'stable'], [1, 9]));
    expect(b.map((e) => 1 - e)).toEqual(a);
  });

  it('removing an entry moves only its keys', () => {
    const before = assign(new StickyChooser(['a', 'b', 'c'], [1, 1, 1]));
    const after = assign(new StickyChooser(['a', 'c'], [1, 1]));
    for (let i = 0; i < KEYS; i++) {
      if (before[i] === 1) continue;
      expect(['a', 'b', 'c'][before[i] as number]).toBe(['a', 'c'][after[i] as number]);
    }
  });

  it('gives a repeated name its own identity', () => {
    const got = assign(new StickyChooser(['a', 'a'], [1, 1]));
    const share = got.filter((e) => e === 1).length / KEYS;
    expect(Math.abs(share - 0.5)).toBeLessThan(tolerance(0.5, KEYS));
  });

  it('rejects bad weights with a code', () => {
    expect(() => new StickyChooser([], [])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => new StickyChooser(['a'], [1, 2])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => new StickyChooser(['a', 'b'], [1, 0])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => new StickyChooser(['a'], [Infinity])).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});

describe('stickyKey', () => {
  const raw = ['Host', 'h', 'X-User', 'u1', 'cookie', 'a=1', 'Cookie', 'sid="abc"; b=2', 'x-empty', ''];

  it('reads a header first value, a cookie value (quotes kept), the client address or a claim', () => {
    expect(stickyKey({ kind: 'header', name: 'x-user' }, raw, '10.0.0.1', null)).toBe('u1');
    expect(stickyKey({ kind: 'cookie', name: 'sid' }, raw, '10.0.0.1', null)).toBe('"abc"');
    expect(stickyKey({ kind: 'cookie', name: 'b' }, raw, '10.0.0.1', null)).toBe('2');
    expect(stickyKey({ kind: 'clientAddress' }, raw, '10.0.0.1', null)).toBe('10.0.0.1');
    expect(stickyKey({ kind: 'claim', name: 'sub' }, raw, '', { sub: 'user-7' })).toBe('user-7');
    expect(stickyKey({ kind: 'claim', name: 'n' }, raw, '', { n: 42 })).toBe('42');
    expect(stickyKey({ kind: 'claim', name: 'b' }, raw, '', { b: true })).toBe('true');
  });

  it('is null when the key is absent or empty', () => {
    expect(stickyKey({ kind: 'header', name: 'x-none' }, raw, '', null)).toBeNull();
    expect(stickyKey({ kind: 'header', name: 'x-empty' }, raw, '', null)).toBeNull();
    expect(stickyKey({ kind: 'cookie', name: 'none' }, raw, '', null)).toBeNull();
    expect(stickyKey({ kind: 'cookie', name: 'e' }, ['cookie', 'e=; f=1'], '', null)).toBeNull();
    expect(stickyKey({ kind: 'clientAddress' }, raw, '', null)).toBeNull();
    expect(stickyKey({ kind: 'claim', name: 'sub' }, raw, '', null)).toBeNull();
    expect(claimKey({ sub: { nested: 1 } }, 'sub')).toBeNull();
    expect(claimKey({ sub: '' }, 'sub')).toBeNull();
    expect(claimKey({}, 'sub')).toBeNull();
  });
});
