import { buildEntry, entryCost, ENTRY_OVERHEAD_BYTES, HEADER_FIELD_OVERHEAD_BYTES, ownedBody } from '@weir/cache';
import { entry, settings } from './support/fixtures';

/**
 * Issue 10: the budget must see what an entry really retains, not only its body. The cost
 * charges the measured per-entry overhead (object, CacheControl, buffers, arrays, Map slot,
 * backing store), the characters of the key and of every header field, and a per-field
 * overhead; the body is a standalone buffer that pins no socket read or pool slab.
 */
describe('entryCost', () => {
  it('charges the fixed overhead, the key, the header characters and a per-field overhead', () => {
    const key = 'http://h/a';
    const headers = ['cache-control', 'max-age=60', 'etag', '"x"'];
    const chars = 'cache-control'.length + 'max-age=60'.length + 'etag'.length + '"x"'.length;
    expect(entryCost(key, headers, 100)).toBe(ENTRY_OVERHEAD_BYTES + key.length + 100 + chars + 2 * HEADER_FIELD_OVERHEAD_BYTES);
    expect(entryCost('', [], 0)).toBe(ENTRY_OVERHEAD_BYTES);
  });

  it('is what a built entry carries, overhead included', () => {
    const e = entry({ 'cache-control': 'max-age=60' }, { key: 'http://h/k', body: 'x'.repeat(10) });
    expect(e.cost).toBe(entryCost('http://h/k', e.headers, 10));
    expect(e.cost - 10).toBeGreaterThanOrEqual(ENTRY_OVERHEAD_BYTES);
  });

  it('keeps the measured overhead in the documented range', () => {
    // heap-snapshot diff ~814 bytes + ~200 off-heap per body (see ENTRY_OVERHEAD_BYTES)
    expect(ENTRY_OVERHEAD_BYTES).toBeGreaterThanOrEqual(800);
    expect(ENTRY_OVERHEAD_BYTES).toBeLessThanOrEqual(1200);
  });
});

describe('buildEntry memory', () => {
  it('copies a pooled or sliced body into a standalone buffer', () => {
    const pooled = Buffer.from('hello'); // a slot of the shared 8 KiB pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    const parent = Buffer.alloc(64 * 1024, 'p');
    const view = parent.subarray(100, 300);
    for (const body of [pooled, view]) {
      const e = buildEntry('http://h/a', 200, ['date', new Date(0).toUTCString()], body, 0, 0, 0, [], [], settings());
      expect(e.body.buffer.byteLength).toBe(e.body.length);
      expect(e.body.byteOffset).toBe(0);
      expect(e.body.equals(body)).toBe(true);
    }
  });

  it('keeps a body that already owns its backing store as is', () => {
    const own = Buffer.allocUnsafeSlow(10).fill(1);
    expect(ownedBody(own)).toBe(own);
    const empty = Buffer.alloc(0);
    expect(ownedBody(empty).length).toBe(0);
  });

  it('keeps its own exact copy of the header list, and shares empty secondary keys', () => {
    const headers = ['date', new Date(0).toUTCString()];
    const e = buildEntry('http://h/a', 200, headers, Buffer.allocUnsafeSlow(1), 0, 0, 0, [], [], settings());
    headers.push('x-late', 'y');
    expect(e.headers).toHaveLength(2);
    const f = buildEntry('http://h/b', 200, ['date', 'x'], Buffer.allocUnsafeSlow(1), 0, 0, 0, [], [], settings());
    expect(f.varyNames).toBe(e.varyNames);
    expect(Object.isFrozen(e.varyValues)).toBe(true);
  });
});
