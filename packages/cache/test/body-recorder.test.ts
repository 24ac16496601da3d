import { RouteCache } from '@weir/cache';
import { FakeClock, header, req, settings } from './support/fixtures';

describe('BodyRecorder', () => {
  it('records streamed chunks and stores the entry on finish', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60', 'transfer-encoding': 'chunked' }, 0, 0)!;
    expect(rec.write(Buffer.from('hel'))).toBe(true);
    expect(rec.write(new Uint8Array([108, 111]))).toBe(true);
    expect(rec.bytes).toBe(5);
    const e = rec.finish()!;
    expect(e.body.toString()).toBe('hello');
    expect(header(e.headers, 'content-length')).toBe('5');
    expect(header(e.headers, 'transfer-encoding')).toBeUndefined();
    expect(cache.store.count).toBe(1);
    expect(cache.stats.stored).toBe(1);
  });

  it('abandons recording past maxObjectBytes and stores nothing', () => {
    const cache = new RouteCache(settings({ maxObjectBytes: 8 }), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60' }, 0, 0)!;
    expect(rec.write(Buffer.from('12345'))).toBe(true);
    expect(rec.write(Buffer.from('6789'))).toBe(false);
    expect(rec.recording).toBe(false);
    expect(rec.write(Buffer.from('x'))).toBe(false);
    expect(rec.finish()).toBeNull();
    expect(cache.store.count).toBe(0);
  });

  it('refuses up front a Content-Length over maxObjectBytes', () => {
    const cache = new RouteCache(settings({ maxObjectBytes: 8 }), { clock: new FakeClock() });
    expect(cache.admit(req(), 200, { 'cache-control': 'max-age=60', 'content-length': '9' }, 0, 0)).toBeNull();
  });

  it('never stores a body shorter than its Content-Length', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60', 'content-length': '10' }, 0, 0)!;
    rec.write(Buffer.from('12345'));
    expect(rec.finish()).toBeNull();
    expect(cache.store.count).toBe(0);
  });

  it('drops everything on abort', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60' }, 0, 0)!;
    rec.write(Buffer.from('12345'));
    rec.abort();
    expect(rec.finish()).toBeNull();
    expect(cache.store.count).toBe(0);
  });
  it('stores the body as one standalone buffer, not a view of the chunks it was cut from', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60' }, 0, 0)!;
    // as undici hands them out: views into one larger socket read
    const read = Buffer.alloc(64 * 1024, 'r');
    rec.write(read.subarray(0, 300));
    const e = rec.finish()!;
    expect(e.body.length).toBe(300);
    expect(e.body.buffer.byteLength).toBe(e.body.length);
    expect(e.body.buffer).not.toBe(read.buffer);
    read.fill('z');
    expect(e.body.toString()).toBe('r'.repeat(300));
  });

  it('copies several chunks into one exact-size buffer', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60' }, 0, 0)!;
    rec.write(Buffer.from('ab'));
    rec.write(Buffer.alloc(5000, 'c').subarray(10, 20));
    const e = rec.finish()!;
    expect(e.body.toString()).toBe('ab' + 'c'.repeat(10));
    expect(e.body.buffer.byteLength).toBe(12);
  });

  it('serves hits as the stored buffer, without a copy per request', () => {
    const cache = new RouteCache(settings(), { clock: new FakeClock() });
    const rec = cache.admit(req(), 200, { 'cache-control': 'max-age=60' }, 0, 0)!;
    rec.write(Buffer.from('hello'));
    const e = rec.finish()!;
    expect(cache.serve(e, req(), 'hit').body).toBe(e.body);
    expect(cache.serve(e, req({ headers: ['range', 'bytes=1-2'] }), 'hit').body.buffer).toBe(e.body.buffer);
  });
});
