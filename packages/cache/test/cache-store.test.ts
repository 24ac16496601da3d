import { CacheStore, ENTRY_OVERHEAD_BYTES, MAX_VARIANTS } from '@weir/cache';
import { entry } from './support/fixtures';

function e(key: string, size: number, variant: string | null = null) {
  return entry({ 'cache-control': 'max-age=60' }, { key, body: 'x'.repeat(size), varyNames: ['accept'], varyValues: [variant] });
}

describe('CacheStore', () => {
  it('stores, gets variants and counts bytes', () => {
    const s = new CacheStore({ maxBytes: 1 << 20, maxObjectBytes: 1 << 16 });
    const a = e('http://h/a', 100, 'json');
    const b = e('http://h/a', 100, 'html');
    expect(s.put(a)).toBe(true);
    expect(s.put(b)).toBe(true);
    expect(s.get('http://h/a')).toEqual([a, b]);
    expect(s.get('http://h/none')).toEqual([]);
    expect(s.count).toBe(2);
    expect(s.keys).toBe(1);
    expect(s.bytes).toBe(a.cost + b.cost);
    expect(a.cost).toBeGreaterThan(100);
  });

  it('replaces the variant with the same secondary key', () => {
    const s = new CacheStore({ maxBytes: 1 << 20, maxObjectBytes: 1 << 16 });
    const a = e('http://h/a', 100, 'json');
    const a2 = e('http://h/a', 50, 'json');
    s.put(a);
    s.put(a2);
    expect(s.get('http://h/a')).toEqual([a2]);
    expect(a.stored).toBe(false);
    expect(s.bytes).toBe(a2.cost);
    expect(s.evictions).toBe(0);
  });

  it('caps variants per key, dropping the least recently used', () => {
    const s = new CacheStore({ maxBytes: 1 << 22, maxObjectBytes: 1 << 16 });
    const all = [];
    for (let i = 0; i < MAX_VARIANTS; i++) {
      all.push(e('http://h/a', 10, 'v' + i));
      s.put(all[i]!);
    }
    s.touch(all[0]!);
    s.put(e('http://h/a', 10, 'extra'));
    expect(s.get('http://h/a')).toHaveLength(MAX_VARIANTS);
    expect(all[0]!.stored).toBe(true);
    expect(all[1]!.stored).toBe(false);
  });

  it('refuses an entry over maxObjectBytes or over the whole budget', () => {
    const s = new CacheStore({ maxBytes: 2000, maxObjectBytes: 1000 });
    expect(s.put(e('http://h/a', 1001))).toBe(false);
    const s2 = new CacheStore({ maxBytes: 1000, maxObjectBytes: 1000 });
    expect(s2.put(e('http://h/a', 1000))).toBe(false);
    expect(s2.count).toBe(0);
  });

  it('evicts least recently used entries first', () => {
    const one = e('http://h/1', 500);
    const s = new CacheStore({ maxBytes: one.cost * 3, maxObjectBytes: 1 << 16 });
    const two = e('http://h/2', 500);
    const three = e('http://h/3', 500);
    s.put(one);
    s.put(two);
    s.put(three);
    s.touch(one);
    s.put(e('http://h/4', 500));
    expect(two.stored).toBe(false);
    expect(one.stored && three.stored).toBe(true);
    expect(s.evictions).toBe(1);
    expect(s.evictedBytes).toBe(two.cost);
  });

  it('holds the byte budget within 10% under churn', () => {
    const maxBytes = 256 * 1024;
    const s = new CacheStore({ maxBytes, maxObjectBytes: 16 * 1024 });
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = Math.floor(rand() * 500);
      const v = s.get('http://h/' + k);
      if (v.length > 0 && rand() < 0.5) s.touch(v[0]!);
      else s.put(e('http://h/' + k, Math.floor(rand() * 8192), rand() < 0.2 ? 'b' : 'a'));
      if (i > 1000) {
        min = Math.min(min, s.bytes);
        max = Math.max(max, s.bytes);
      }
    }
    expect(max).toBeLessThanOrEqual(maxBytes);
    expect(min).toBeGreaterThanOrEqual(maxBytes * 0.9);
    expect(s.evictions).toBeGreaterThan(0);
    // the counters agree with the index
    let bytes = 0;
    let count = 0;
    for (let k = 0; k < 500; k++) for (const v of s.get('http://h/' + k)) (bytes += v.cost), count++;
    expect(bytes).toBe(s.bytes);
    expect(count).toBe(s.count);
  });

  it('purges one key (all variants) and by prefix', () => {
    const s = new CacheStore({ maxBytes: 1 << 20, maxObjectBytes: 1 << 16 });
    s.put(e('http://h/api/a', 10, 'x'));
    s.put(e('http://h/api/a', 10, 'y'));
    s.put(e('http://h/api/b?q=1', 10));
    s.put(e('http://h/web/c', 10));
    s.put(e('http://other/api/a', 10));
    expect(s.purge('http://h/api/a')).toBe(2);
    expect(s.purge('http://h/api/a')).toBe(0);
    s.put(e('http://h/api/a', 10));
    expect(s.purgePrefix('http://h/api/')).toBe(2);
    expect(s.count).toBe(2);
    expect(s.get('http://h/web/c')).toHaveLength(1);
    expect(s.delete(e('http://h/z', 1))).toBe(false);
    s.clear();
    expect(s.count + s.bytes + s.keys).toBe(0);
  });
  it('keeps the charged bytes within the budget under churn with small objects', () => {
    // Issue 10: thousands of tiny entries, where the per-entry overhead dominates the body.
    const maxBytes = 64 * 1024;
    const s = new CacheStore({ maxBytes, maxObjectBytes: 1024 });
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let max = 0;
    let min = Infinity;
    let bodies = 0;
    for (let i = 0; i < 20_000; i++) {
      s.put(e('http://h/' + i, Math.floor(rand() * 200)));
      max = Math.max(max, s.bytes);
      if (i > 1000) min = Math.min(min, s.bytes);
    }
    for (let i = 0; i < 20_000; i++) for (const v of s.get('http://h/' + i)) bodies += v.body.length;
    expect(max).toBeLessThanOrEqual(maxBytes);
    expect(min).toBeGreaterThanOrEqual(maxBytes * 0.9);
    // every entry is charged at least the fixed overhead: far fewer entries than budget / body size
    expect(s.count * ENTRY_OVERHEAD_BYTES).toBeLessThanOrEqual(s.bytes);
    expect(bodies).toBeLessThan(s.bytes / 4);
  });
});
