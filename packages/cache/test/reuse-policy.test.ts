import { isOriginError, parseCacheControl, reuse, staleIfError } from '@weir/cache';
import { entry, T0 } from './support/fixtures';

const none = parseCacheControl(null);
const cc = (v: string) => parseCacheControl(v);

describe('reuse (RFC 9111 §4.2.4, §5.2)', () => {
  it('serves a fresh entry and revalidates a stale one', () => {
    const e = entry({ 'cache-control': 'max-age=60' });
    expect(reuse(e, none, false, T0 + 59_000)).toBe('fresh');
    expect(reuse(e, none, false, T0 + 60_000)).toBe('revalidate');
  });

  it('counts the corrected initial age from Age', () => {
    const e = entry({ 'cache-control': 'max-age=60', age: '50' });
    expect(reuse(e, none, false, T0 + 9_000)).toBe('fresh');
    expect(reuse(e, none, false, T0 + 10_000)).toBe('revalidate');
  });

  it('forces revalidation on request no-cache, Pragma: no-cache and max-age=0', () => {
    const e = entry({ 'cache-control': 'max-age=60' });
    expect(reuse(e, cc('no-cache'), false, T0)).toBe('revalidate-request');
    expect(reuse(e, none, true, T0)).toBe('revalidate-request');
    expect(reuse(e, cc('max-age=0'), false, T0)).toBe('revalidate-request');
  });

  it('honours request max-age against the current age', () => {
    const e = entry({ 'cache-control': 'max-age=60' });
    expect(reuse(e, cc('max-age=10'), false, T0 + 10_000)).toBe('fresh');
    expect(reuse(e, cc('max-age=10'), false, T0 + 11_000)).toBe('revalidate-request');
  });

  it('honours min-fresh', () => {
    const e = entry({ 'cache-control': 'max-age=60' });
    expect(reuse(e, cc('min-fresh=20'), false, T0 + 40_000)).toBe('fresh');
    expect(reuse(e, cc('min-fresh=20'), false, T0 + 41_000)).toBe('revalidate-request');
  });

  it('honours max-stale with and without a value', () => {
    const e = entry({ 'cache-control': 'max-age=60' });
    expect(reuse(e, cc('max-stale=30'), false, T0 + 90_000)).toBe('stale-allowed');
    expect(reuse(e, cc('max-stale=30'), false, T0 + 91_000)).toBe('revalidate');
    expect(reuse(e, cc('max-stale'), false, T0 + 9_999_000)).toBe('stale-allowed');
  });

  it('always revalidates a no-cache response, even when fresh', () => {
    expect(reuse(entry({ 'cache-control': 'no-cache, max-age=60' }), none, false, T0)).toBe('revalidate');
    expect(reuse(entry({ 'cache-control': 'no-cache="set-cookie", max-age=60' }), none, false, T0)).toBe('revalidate');
  });

  it.each(['must-revalidate', 'proxy-revalidate', 's-maxage=60'])('refuses stale use with %s', (directive) => {
    const e = entry({ 'cache-control': 'max-age=60, ' + directive + ', stale-while-revalidate=100' });
    expect(reuse(e, cc('max-stale'), false, T0 + 70_000)).toBe('revalidate');
  });

  it('decides stale-while-revalidate within its window', () => {
    const e = entry({ 'cache-control': 'max-age=60, stale-while-revalidate=30' });
    expect(reuse(e, none, false, T0 + 30_000)).toBe('fresh');
    expect(reuse(e, none, false, T0 + 90_000)).toBe('stale-while-revalidate');
    expect(reuse(e, none, false, T0 + 91_000)).toBe('revalidate');
    expect(reuse(e, cc('no-cache'), false, T0 + 70_000)).toBe('revalidate-request');
  });
});

describe('stale-if-error (RFC 5861 §4)', () => {
  const e = entry({ 'cache-control': 'max-age=60, stale-if-error=100' });

  it('counts no response and 500/502/503/504 as origin errors', () => {
    expect([null, 500, 502, 503, 504].every(isOriginError)).toBe(true);
    expect([200, 404, 501, 429].some(isOriginError)).toBe(false);
  });

  it('serves stale within the window on an origin error only', () => {
    expect(staleIfError(e, none, 503, T0 + 160_000)).toBe(true);
    expect(staleIfError(e, none, null, T0 + 160_000)).toBe(true);
    expect(staleIfError(e, none, 503, T0 + 161_000)).toBe(false);
    expect(staleIfError(e, none, 404, T0 + 70_000)).toBe(false);
  });

  it('takes the request directive too', () => {
    const plain = entry({ 'cache-control': 'max-age=60' });
    expect(staleIfError(plain, none, 502, T0 + 70_000)).toBe(false);
    expect(staleIfError(plain, cc('stale-if-error=20'), 502, T0 + 70_000)).toBe(true);
  });

  it('never serves stale when must-revalidate forbids it', () => {
    const strict = entry({ 'cache-control': 'max-age=60, must-revalidate, stale-if-error=100' });
    expect(staleIfError(strict, none, 503, T0 + 70_000)).toBe(false);
  });

  it('serves a still-fresh entry on error', () => {
    expect(staleIfError(entry({ 'cache-control': 'max-age=60' }), none, 500, T0 + 10_000)).toBe(true);
  });
});
