import { CACHE_STATUS, LEADER, RouteCache, staleIfErrorStatus, withFwdStatus } from '@weir/cache';
import { FakeClock, header, httpDate, req, settings, store, T0 } from './support/fixtures';

function setup(over = {}) {
  const clock = new FakeClock(T0);
  return { clock, cache: new RouteCache(settings(over), { clock }) };
}

describe('RouteCache', () => {
  it('misses, stores, then hits; HEAD is served from the stored GET', () => {
    const { cache, clock } = setup();
    const miss = cache.lookup(req());
    expect(miss).toMatchObject({ kind: 'miss', primaryKey: 'http://example.com/a', entry: null, cacheStatus: CACHE_STATUS.uriMiss });
    store(cache, req(), { 'cache-control': 'max-age=60', 'content-type': 'text/plain' }, 'body');
    clock.advance(2000);
    const hit = cache.lookup(req({ host: 'EXAMPLE.com:80' }));
    expect(hit.kind).toBe('hit');
    const r = cache.serve(hit.entry!, req(), hit.cacheStatus);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('body');
    expect(header(r.headers, 'age')).toBe('2');
    expect(header(r.headers, 'cache-status')).toBe('weir; hit');
    const head = cache.lookup(req({ method: 'HEAD' }));
    expect(head.kind).toBe('hit');
    expect(cache.serve(head.entry!, req({ method: 'HEAD' }), head.cacheStatus).body.length).toBe(0);
    expect(cache.stats).toMatchObject({ hit: 2, miss: 1, stored: 1 });
    expect(cache.storedBytes).toBe(cache.store.bytes);
  });

  it('does not store HEAD responses', () => {
    const { cache } = setup();
    expect(cache.admit(req({ method: 'HEAD' }), 200, { 'cache-control': 'max-age=60' }, T0, T0)).toBeNull();
  });

  it('bypasses unsafe methods, non-origin-form targets and Range requests without an entry', () => {
    const { cache } = setup();
    expect(cache.lookup(req({ method: 'POST' }))).toMatchObject({ kind: 'bypass', cacheStatus: CACHE_STATUS.method });
    expect(cache.lookup(req({ target: '*' }))).toMatchObject({ kind: 'bypass', primaryKey: null });
    expect(cache.lookup(req({ headers: ['range', 'bytes=0-1'] }))).toMatchObject({ kind: 'bypass', cacheStatus: CACHE_STATUS.bypass });
    expect(cache.admit(req({ headers: ['range', 'bytes=0-1'] }), 200, { 'cache-control': 'max-age=60' }, T0, T0)).toBeNull();
    expect(cache.stats.bypass).toBe(3);
  });

  it('serves a range from a stored full response', () => {
    const { cache } = setup();
    store(cache, req(), { 'cache-control': 'max-age=60' }, '0123456789');
    const view = req({ headers: ['range', 'bytes=3-5'] });
    const d = cache.lookup(view);
    const r = cache.serve(d.entry!, view, d.cacheStatus);
    expect(r.status).toBe(206);
    expect(r.body.toString()).toBe('345');
  });

  it('keeps Vary variants apart and reports vary-miss', () => {
    const { cache } = setup();
    const gz = req({ headers: ['Accept-Encoding', 'gzip'] });
    const br = req({ headers: ['accept-encoding', 'br'] });
    store(cache, gz, { 'cache-control': 'max-age=60', vary: 'Accept-Encoding', 'content-encoding': 'gzip' }, 'GZ');
    expect(cache.lookup(br)).toMatchObject({ kind: 'miss', cacheStatus: CACHE_STATUS.varyMiss });
    store(cache, br, { 'cache-control': 'max-age=60', vary: 'Accept-Encoding', 'content-encoding': 'br' }, 'BR');
    expect(cache.lookup(gz).entry!.body.toString()).toBe('GZ');
    expect(cache.lookup(br).entry!.body.toString()).toBe('BR');
    expect(cache.lookup(req()).kind).toBe('miss');
    expect(cache.purge('http://example.com/a')).toBe(2);
  });

  it('adds keyHeaders to the secondary key', () => {
    const { cache } = setup({ keyHeaders: ['x-tenant'] });
    store(cache, req({ headers: ['x-tenant', 'a'] }), { 'cache-control': 'max-age=60' }, 'A');
    expect(cache.lookup(req({ headers: ['X-Tenant', 'a'] })).kind).toBe('hit');
    expect(cache.lookup(req({ headers: ['x-tenant', 'b'] })).kind).toBe('miss');
  });

  it('refuses Vary: * and reports verdicts', () => {
    const { cache } = setup();
    expect(cache.admit(req(), 200, { 'cache-control': 'max-age=60', vary: '*' }, T0, T0)).toBeNull();
    expect(cache.verdict(req(), 200, { vary: '*', 'cache-control': 'max-age=60' })).toBe('vary-star');
    expect(cache.verdict(req({ headers: ['authorization', 'Bearer x'] }), 200, { 'cache-control': 'max-age=60' })).toBe('authorization');
  });

  it('stores private="..." responses without the named fields, and adds a missing Date', () => {
    const { cache } = setup();
    const e = store(cache, req(), { 'cache-control': 'max-age=60, private="x-user"', 'x-user': 'bob', 'x-other': '1' });
    expect(header(e.headers, 'x-user')).toBeUndefined();
    expect(header(e.headers, 'x-other')).toBe('1');
    expect(header(e.headers, 'date')).toBe(httpDate(T0));
  });

  it('replays Set-Cookie only with storeSetCookie', () => {
    const { cache } = setup({ storeSetCookie: true });
    const e = store(cache, req(), { 'cache-control': 'max-age=60', 'set-cookie': ['a=1', 'b=2'] });
    const r = cache.serve(e, req(), CACHE_STATUS.hit);
    expect(r.headers.filter((h) => h === 'set-cookie')).toHaveLength(2);
  });

  it('revalidates a stale entry: conditional headers, 304 applied in place', () => {
    const { cache, clock } = setup();
    store(cache, req(), { 'cache-control': 'max-age=60', etag: '"v1"' }, 'body');
    clock.advance(61_000);
    const d = cache.lookup(req({ headers: ['if-none-match', '"old"'] }));
    expect(d).toMatchObject({ kind: 'stale-revalidate', cacheStatus: CACHE_STATUS.stale });
    expect(cache.conditionalHeaders(d.entry!)).toEqual(['if-none-match', '"v1"']);
    const now = clock.now();
    const updated = cache.revalidated(d.entry!, { etag: '"v1"', 'cache-control': 'max-age=120', date: httpDate(now) }, now, now)!;
    expect(updated.lifetime).toBe(120_000);
    expect(cache.store.get('http://example.com/a')).toEqual([updated]);
    const r = cache.serve(updated, req(), withFwdStatus(d.cacheStatus, 304));
    expect(header(r.headers, 'cache-status')).toBe(CACHE_STATUS.revalidated);
    expect(r.body.toString()).toBe('body');
    expect(cache.lookup(req()).kind).toBe('hit');
    expect(cache.stats.revalidated).toBe(1);
  });

  it('returns null for a 304 that does not select the entry, and drops an entry a 304 marks no-store', () => {
    const { cache, clock } = setup();
    const e = store(cache, req(), { 'cache-control': 'max-age=60', etag: '"v1"' });
    clock.advance(61_000);
    expect(cache.revalidated(e, { etag: '"v2"' }, clock.now(), clock.now())).toBeNull();
    expect(cache.store.count).toBe(1);
    expect(cache.revalidated(e, { 'cache-control': 'no-store' }, clock.now(), clock.now())).not.toBeNull();
    expect(cache.store.count).toBe(0);
  });

  it('replaces the stale entry with a full revalidation response, or removes it when not storable', () => {
    const { cache, clock } = setup();
    const e = store(cache, req(), { 'cache-control': 'max-age=60', etag: '"v1"' }, 'old');
    clock.advance(61_000);
    const view = req({ headers: ['range', 'bytes=0-1'] });
    const d = cache.lookup(view);
    expect(d.kind).toBe('stale-revalidate');
    const rec = cache.admit(view, 200, { 'cache-control': 'max-age=60', etag: '"v2"' }, clock.now(), clock.now(), d.entry)!;
    rec.write(Buffer.from('new'));
    const fresh = rec.finish()!;
    expect(e.stored).toBe(false);
    expect(cache.store.get('http://example.com/a')).toEqual([fresh]);
    clock.advance(61_000);
    expect(cache.admit(req(), 200, { 'cache-control': 'no-store' }, clock.now(), clock.now(), fresh)).toBeNull();
    expect(cache.store.count).toBe(0);
  });

  it('client-forced revalidation is reported as fwd=request', () => {
    const { cache } = setup();
    store(cache, req(), { 'cache-control': 'max-age=60', etag: '"v1"' });
    expect(cache.lookup(req({ headers: ['cache-control', 'no-cache'] }))).toMatchObject({
      kind: 'stale-revalidate',
      cacheStatus: CACHE_STATUS.request,
    });
    expect(cache.lookup(req({ headers: ['pragma', 'no-cache'] })).kind).toBe('stale-revalidate');
    expect(cache.lookup(req({ headers: ['pragma', 'no-cache', 'cache-control', 'max-stale'] })).kind).toBe('hit');
  });

  it('serves stale within max-stale and stale-while-revalidate', () => {
    const { cache, clock } = setup();
    store(cache, req(), { 'cache-control': 'max-age=60, stale-while-revalidate=30' });
    clock.advance(70_000);
    expect(cache.lookup(req({ headers: ['cache-control', 'max-stale=20'] }))).toMatchObject({ kind: 'hit', cacheStatus: CACHE_STATUS.hitStale });
    expect(cache.lookup(req())).toMatchObject({ kind: 'stale-while-revalidate', cacheStatus: CACHE_STATUS.hitStaleWhileRevalidate });
    clock.advance(21_000);
    expect(cache.lookup(req()).kind).toBe('stale-revalidate');
  });

  it('serves stale on origin errors within stale-if-error', () => {
    const { cache, clock } = setup();
    const e = store(cache, req(), { 'cache-control': 'max-age=60, stale-if-error=60' });
    clock.advance(100_000);
    expect(cache.staleIfError(e, req(), 503)).toBe(true);
    expect(cache.staleIfError(e, req(), null)).toBe(true);
    expect(cache.staleIfError(e, req(), 404)).toBe(false);
    expect(cache.staleIfErrorStatus(503)).toBe('weir; fwd=stale; fwd-status=503; detail=stale-if-error');
    expect(staleIfErrorStatus(null)).toBe('weir; fwd=stale; detail=stale-if-error');
    clock.advance(21_000);
    expect(cache.staleIfError(e, req(), 503)).toBe(false);
    expect(cache.stats.staleIfError).toBe(2);
  });

  it('invalidates after a successful unsafe request', () => {
    const { cache } = setup();
    store(cache, req({ target: '/items' }), { 'cache-control': 'max-age=60' });
    store(cache, req({ target: '/items/7' }), { 'cache-control': 'max-age=60' });
    expect(cache.invalidate(req({ method: 'POST', target: '/items' }), 500, {})).toBe(0);
    expect(cache.invalidate(req({ method: 'POST', target: '/items' }), 201, { location: '/items/7' })).toBe(2);
    expect(cache.store.count).toBe(0);
  });

  it('purges by prefix', () => {
    const { cache } = setup();
    store(cache, req({ target: '/api/1' }), { 'cache-control': 'max-age=60' });
    store(cache, req({ target: '/api/2?x' }), { 'cache-control': 'max-age=60' });
    store(cache, req({ target: '/web' }), { 'cache-control': 'max-age=60' });
    expect(cache.purgePrefix('http://example.com/api/')).toBe(2);
    expect(cache.store.count).toBe(1);
  });

  describe('collapsed forwarding', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('hands waiters the leader entry when their variant matches, else null', async () => {
      expect.assertions(4);
      const { cache } = setup();
      const gz = req({ headers: ['accept-encoding', 'gzip'] });
      const br = req({ headers: ['accept-encoding', 'br'] });
      expect(cache.join('http://example.com/a', gz)).toBe(LEADER);
      const same = cache.join('http://example.com/a', gz) as Promise<unknown>;
      const other = cache.join('http://example.com/a', br) as Promise<unknown>;
      const e = store(cache, gz, { 'cache-control': 'max-age=60', vary: 'accept-encoding' });
      cache.release('http://example.com/a', e);
      await expect(same).resolves.toBe(e);
      await expect(other).resolves.toBeNull();
      expect(cache.stats.collapsed).toBe(2);
    });

    it('times waiters out after collapseTimeoutMs', async () => {
      expect.assertions(1);
      const { cache } = setup({ collapseTimeoutMs: 500 });
      cache.join('k', req());
      const w = cache.join('k', req()) as Promise<unknown>;
      jest.advanceTimersByTime(500);
      await expect(w).resolves.toBeNull();
    });
  });
});

describe('RouteCache HEAD revalidation', () => {
  it('keeps the GET entry when a HEAD revalidation answers 200', () => {
    const clock = new FakeClock(T0);
    const cache = new RouteCache(settings(), { clock });
    const e = store(cache, req(), { 'cache-control': 'max-age=60', etag: '"v1"' });
    clock.advance(61_000);
    const head = req({ method: 'HEAD' });
    expect(cache.lookup(head).kind).toBe('stale-revalidate');
    expect(cache.admit(head, 200, { 'cache-control': 'max-age=60' }, clock.now(), clock.now(), e)).toBeNull();
    expect(e.stored).toBe(true);
  });

  it('uses the wall clock by default', () => {
    const cache = new RouteCache(settings());
    expect(Math.abs(cache.clock.now() - Date.now())).toBeLessThan(1000);
  });
});
