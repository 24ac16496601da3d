import { type HeaderRecord, parseCacheControl, storability, type StoreRequestFacts } from '@weir/cache';

function facts(over: Partial<StoreRequestFacts> = {}): StoreRequestFacts {
  return { method: 'GET', cc: parseCacheControl(null), hasAuthorization: false, hasRange: false, ...over };
}

function verdict(headers: HeaderRecord, status = 200, reqFacts = facts(), storeSetCookie = false): string {
  const cc = headers['cache-control'];
  return storability(reqFacts, status, parseCacheControl(typeof cc === 'string' ? cc : null), headers, storeSetCookie);
}

describe('storability (RFC 9111 §3)', () => {
  it('stores a GET 200 with max-age', () => {
    expect(verdict({ 'cache-control': 'max-age=60' })).toBe('store');
  });

  it('stores only GET; HEAD and POST responses are not stored', () => {
    expect(verdict({ 'cache-control': 'max-age=60' }, 200, facts({ method: 'HEAD' }))).toBe('method');
    expect(verdict({ 'cache-control': 'max-age=60' }, 200, facts({ method: 'POST' }))).toBe('method');
  });

  it('passes Range requests and 206 responses through', () => {
    expect(verdict({ 'cache-control': 'max-age=60' }, 200, facts({ hasRange: true }))).toBe('range');
    expect(verdict({ 'cache-control': 'max-age=60' }, 206)).toBe('range');
  });

  it('refuses statuses not final or not understood', () => {
    expect(verdict({ 'cache-control': 'max-age=60' }, 100)).toBe('status');
    expect(verdict({ 'cache-control': 'max-age=60' }, 304)).toBe('status');
    expect(verdict({ 'cache-control': 'max-age=60' }, 299)).toBe('status');
    expect(verdict({ 'cache-control': 'max-age=60' }, 404)).toBe('store');
  });

  it('refuses no-store on the request or the response', () => {
    expect(verdict({ 'cache-control': 'max-age=60' }, 200, facts({ cc: parseCacheControl('no-store') }))).toBe('no-store');
    expect(verdict({ 'cache-control': 'max-age=60, no-store' })).toBe('no-store');
  });

  it('lets must-understand with an understood status override no-store (§5.2.2.3)', () => {
    expect(verdict({ 'cache-control': 'max-age=60, no-store, must-understand' })).toBe('store');
    expect(verdict({ 'cache-control': 'max-age=60, no-store, must-understand' }, 299)).toBe('status');
  });

  it('refuses unqualified private in a shared cache, stores qualified private', () => {
    expect(verdict({ 'cache-control': 'private, max-age=60' })).toBe('private');
    expect(verdict({ 'cache-control': 'private="x-user", max-age=60' })).toBe('store');
  });

  it('stores a response to an Authorization request only with public, s-maxage or must-revalidate (§3.5)', () => {
    const auth = facts({ hasAuthorization: true });
    expect(verdict({ 'cache-control': 'max-age=60' }, 200, auth)).toBe('authorization');
    expect(verdict({ 'cache-control': 'public, max-age=60' }, 200, auth)).toBe('store');
    expect(verdict({ 'cache-control': 's-maxage=60' }, 200, auth)).toBe('store');
    expect(verdict({ 'cache-control': 'must-revalidate, max-age=60' }, 200, auth)).toBe('store');
  });

  it('refuses Set-Cookie unless storeSetCookie', () => {
    expect(verdict({ 'cache-control': 'max-age=60', 'set-cookie': ['a=1'] })).toBe('set-cookie');
    expect(verdict({ 'cache-control': 'max-age=60', 'set-cookie': 'a=1' }, 200, facts(), true)).toBe('store');
  });

  it('refuses Vary: *', () => {
    expect(verdict({ 'cache-control': 'max-age=60', vary: 'accept, *' })).toBe('vary-star');
  });

  it('needs explicit freshness, a validator or public', () => {
    expect(verdict({})).toBe('no-freshness');
    expect(verdict({ 'content-type': 'text/plain' }, 404)).toBe('no-freshness');
    // Validators alone store only heuristically cacheable statuses (RFC 9111 section 3).
    expect(verdict({ 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }, 302)).toBe('not-heuristic');
    expect(verdict({ etag: '"a"' }, 503)).toBe('not-heuristic');
    expect(verdict({ etag: '"a"' }, 200)).toBe('store');
    expect(verdict({ etag: '"a"', 'cache-control': 'max-age=60' }, 302)).toBe('store');
    expect(verdict({ expires: 'Thu, 01 Jan 2026 13:00:00 GMT' })).toBe('store');
    expect(verdict({ etag: '"x"' })).toBe('store');
    expect(verdict({ 'last-modified': 'Thu, 01 Jan 2025 13:00:00 GMT' })).toBe('store');
    expect(verdict({ 'cache-control': 'public' })).toBe('store');
    expect(verdict({ 'cache-control': 's-maxage=5' })).toBe('store');
  });

  it('stores no-cache responses (always revalidated on use)', () => {
    expect(verdict({ 'cache-control': 'no-cache', etag: '"x"' })).toBe('store');
  });
});
