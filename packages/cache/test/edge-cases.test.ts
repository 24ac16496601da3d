import { applyNotModified, evaluateRange, invalidationKeys, serveEntry, splitEntityTags, storability, parseCacheControl } from '@weir/cache';
import { entry, header, httpDate, req, settings, T0 } from './support/fixtures';

describe('edge cases', () => {
  it('matches record header names case-insensitively', () => {
    const facts = { method: 'GET', cc: parseCacheControl(null), hasAuthorization: false, hasRange: false };
    expect(storability(facts, 200, parseCacheControl(null), { ETag: '"x"' }, false)).toBe('store');
  });

  it('treats malformed ranges as absent', () => {
    for (const v of ['bytes=5', 'bytes=-x', 'bytes=1234567890123456-', 'bytes=-', 'bytes=1-2x']) {
      expect(evaluateRange(v, 10).kind).toBe('full');
    }
  });

  it('ignores an If-Range date when the entry has no Last-Modified', () => {
    const e = entry({ 'cache-control': 'max-age=60' }, { body: '0123' });
    expect(serveEntry(e, req({ headers: ['range', 'bytes=0-1', 'if-range', httpDate(T0)] }), 'x', T0).status).toBe(200);
  });

  it('splits entity-tag lists with an unterminated quote and trailing commas', () => {
    expect(splitEntityTags('"a", "b,')).toEqual(['"a"', '"b,']);
    expect(splitEntityTags('"a" , ,')).toEqual(['"a"']);
  });

  it('skips unparseable Location values', () => {
    expect(invalidationKeys(req({ method: 'PUT' }), 200, { location: 'http://[bad' })).toEqual(['http://example.com/a']);
  });

  it('uses the receipt time for an invalid Date and the first Age of a list', () => {
    const e = entry({ 'cache-control': 'max-age=60', date: 'garbage', age: ['5', '9'] as unknown as string });
    expect(e.dateMs).toBe(T0);
    const u = applyNotModified(e, { link: ['<a>', '<b>'], age: ['3', '4'] }, T0, T0, settings());
    expect(u.headers.filter((h) => h === 'link')).toHaveLength(2);
    expect(u.correctedInitialAge).toBe(3000);
    expect(header(u.headers as string[], 'date')).toBe(httpDate(T0));
  });
});
