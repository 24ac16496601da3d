import { MAX_DELTA_SECONDS, parseCacheControl } from '@weir/cache';

describe('parseCacheControl', () => {
  it('returns the shared empty result for absent values', () => {
    const cc = parseCacheControl(undefined);
    expect(cc.empty).toBe(true);
    expect(parseCacheControl('')).toBe(cc);
    expect(Object.isFrozen(cc)).toBe(true);
  });

  it('parses response directives, case-insensitively', () => {
    const cc = parseCacheControl('Public, MAX-AGE=60, s-maxage=30, must-revalidate, proxy-revalidate, no-transform, immutable');
    expect(cc).toMatchObject({ public: true, maxAge: 60, sMaxAge: 30, mustRevalidate: true, proxyRevalidate: true, noTransform: true, immutable: true });
    expect(cc.noStore).toBe(false);
  });

  it('parses request directives', () => {
    const cc = parseCacheControl('no-cache, max-stale, min-fresh=5, only-if-cached, no-store');
    expect(cc).toMatchObject({ noCache: true, maxStale: Infinity, minFresh: 5, onlyIfCached: true, noStore: true });
    expect(parseCacheControl('max-stale=10').maxStale).toBe(10);
  });

  it('accepts quoted arguments and field-name lists', () => {
    const cc = parseCacheControl('max-age="120", no-cache="Set-Cookie, X-Foo", private="x-secret"');
    expect(cc.maxAge).toBe(120);
    expect(cc.noCache).toBe(true);
    expect(cc.noCacheFields).toEqual(['set-cookie', 'x-foo']);
    expect(cc.private).toBe(false);
    expect(cc.privateFields).toEqual(['x-secret']);
  });

  it('handles a quoted comma and escapes inside a quoted string', () => {
    const cc = parseCacheControl('x-ext="a,b\\"c", max-age=5');
    expect(cc.maxAge).toBe(5);
  });

  it('joins several header lines', () => {
    const cc = parseCacheControl(['max-age=10', 'stale-while-revalidate=30, stale-if-error=60']);
    expect(cc).toMatchObject({ maxAge: 10, staleWhileRevalidate: 30, staleIfError: 60 });
  });

  it('treats an invalid max-age or s-maxage as 0 (stale), RFC 9111 §4.2.1', () => {
    expect(parseCacheControl('max-age=abc').maxAge).toBe(0);
    expect(parseCacheControl('max-age=-1').maxAge).toBe(0);
    expect(parseCacheControl('s-maxage=1.5').sMaxAge).toBe(0);
    expect(parseCacheControl('max-age').maxAge).toBe(0);
  });

  it('resolves conflicting duplicates to the most restrictive value', () => {
    expect(parseCacheControl('max-age=60, max-age=10').maxAge).toBe(10);
    expect(parseCacheControl('max-age=10, max-age=10').maxAge).toBe(10);
    expect(parseCacheControl('max-stale=50, max-stale=5').maxStale).toBe(5);
    expect(parseCacheControl('min-fresh=5, min-fresh=50').minFresh).toBe(50);
  });

  it('ignores invalid stale allowances (no stale use)', () => {
    expect(parseCacheControl('max-stale=x').maxStale).toBe(-1);
    expect(parseCacheControl('stale-while-revalidate=x').staleWhileRevalidate).toBe(-1);
    expect(parseCacheControl('stale-if-error=').staleIfError).toBe(-1);
    expect(parseCacheControl('min-fresh=x').minFresh).toBe(0);
  });

  it('caps huge delta-seconds at 2^31 (RFC 9111 §1.2.2)', () => {
    expect(parseCacheControl('max-age=99999999999999999999').maxAge).toBe(MAX_DELTA_SECONDS);
  });

  it('ignores unknown extensions and garbage separators', () => {
    const cc = parseCacheControl(' , foo=bar,, must-understand , no-store junk');
    expect(cc.mustUnderstand).toBe(true);
    expect(cc.noStore).toBe(true);
  });

  it('reads unqualified private', () => {
    expect(parseCacheControl('private').private).toBe(true);
  });
});
