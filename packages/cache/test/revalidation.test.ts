import { applyNotModified, conditionalHeaders, notModifiedMatches, reuse, parseCacheControl } from '@weir/cache';
import { entry, header, httpDate, settings, T0 } from './support/fixtures';

const LM = httpDate(T0 - 3600_000);

describe('conditionalHeaders (RFC 9111 §4.3.1)', () => {
  it('sends the stored ETag and Last-Modified', () => {
    expect(conditionalHeaders(entry({ etag: '"v1"', 'last-modified': LM }))).toEqual(['if-none-match', '"v1"', 'if-modified-since', LM]);
    expect(conditionalHeaders(entry({ etag: 'W/"v1"' }))).toEqual(['if-none-match', 'W/"v1"']);
    expect(conditionalHeaders(entry({ 'cache-control': 'max-age=1' }))).toEqual([]);
  });
});

describe('notModifiedMatches (RFC 9111 §4.3.4)', () => {
  const e = entry({ etag: '"v1"', 'last-modified': LM });
  it('selects by ETag (weak), then Last-Modified, and accepts a 304 without validators', () => {
    expect(notModifiedMatches(e, { etag: 'W/"v1"' })).toBe(true);
    expect(notModifiedMatches(e, { etag: '"v2"' })).toBe(false);
    expect(notModifiedMatches(e, { 'last-modified': LM })).toBe(true);
    expect(notModifiedMatches(e, { 'last-modified': httpDate(T0) })).toBe(false);
    expect(notModifiedMatches(e, {})).toBe(true);
    expect(notModifiedMatches(entry({ 'last-modified': LM }), { etag: '"v1"' })).toBe(false);
  });
});

describe('applyNotModified (RFC 9111 §3.2)', () => {
  const stale = entry(
    {
      'cache-control': 'max-age=60',
      etag: '"v1"',
      'content-type': 'text/plain',
      'content-encoding': 'gzip',
      'x-old': 'kept',
      vary: 'accept-encoding',
      link: ['<a>', '<b>'],
    },
    { body: 'abc' },
  );

  it('replaces stored fields with the 304s, except Content-Length, Content-Encoding, Vary and hop-by-hop fields', () => {
    const at = T0 + 120_000;
    const u = applyNotModified(
      stale,
      {
        'cache-control': 'max-age=300',
        date: httpDate(at),
        'content-length': '0',
        'content-encoding': 'br',
        vary: 'accept',
        connection: 'x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        link: '<c>',
        'x-new': 'yes',
      },
      at,
      at,
      { ...settings() },
    );
    expect(header(u.headers as string[], 'cache-control')).toBe('max-age=300');
    expect(header(u.headers as string[], 'content-length')).toBe('3');
    expect(header(u.headers as string[], 'content-encoding')).toBe('gzip');
    expect(header(u.headers as string[], 'vary')).toBe('accept-encoding');
    expect(header(u.headers as string[], 'x-hop')).toBeUndefined();
    expect(header(u.headers as string[], 'keep-alive')).toBeUndefined();
    expect(header(u.headers as string[], 'x-old')).toBe('kept');
    expect(header(u.headers as string[], 'x-new')).toBe('yes');
    expect(u.headers.filter((h) => h === 'link')).toHaveLength(1);
    expect(header(u.headers as string[], 'link')).toBe('<c>');
    expect(u.body).toBe(stale.body);
    expect(u.lifetime).toBe(300_000);
    expect(reuse(u, parseCacheControl(null), false, at + 299_000)).toBe('fresh');
  });

  it('takes the 304s timing and Age, and adds a Date when the 304 has none', () => {
    const at = T0 + 120_000;
    const u = applyNotModified(stale, { age: '10' }, at - 1000, at, { ...settings() });
    expect(u.responseTime).toBe(at);
    expect(u.correctedInitialAge).toBe(11_000);
    expect(header(u.headers as string[], 'date')).toBe(httpDate(at));
    expect(reuse(u, parseCacheControl(null), false, at + 48_000)).toBe('fresh');
    expect(reuse(u, parseCacheControl(null), false, at + 49_000)).toBe('revalidate');
  });

  it('drops Set-Cookie from a 304 unless storeSetCookie, and private="..." fields', () => {
    const u = applyNotModified(stale, { 'set-cookie': 'a=1', 'cache-control': 'max-age=5, private="x-user"', 'x-user': 'bob' }, T0, T0, settings());
    expect(header(u.headers as string[], 'set-cookie')).toBeUndefined();
    expect(header(u.headers as string[], 'x-user')).toBeUndefined();
    const v = applyNotModified(stale, { 'set-cookie': 'a=1' }, T0, T0, settings({ storeSetCookie: true }));
    expect(header(v.headers as string[], 'set-cookie')).toBe('a=1');
  });
});
