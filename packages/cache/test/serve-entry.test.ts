import { evaluateRange, noneMatch, serveEntry, splitEntityTags, strongMatch, weakMatch } from '@weir/cache';
import { entry, header, httpDate, req, T0 } from './support/fixtures';

const LM = httpDate(T0 - 3600_000);
const e = entry({ 'cache-control': 'max-age=60', etag: '"v1"', 'last-modified': LM, 'content-type': 'text/plain' }, { body: '0123456789' });

function serve(headers: string[], method = 'GET', at = T0 + 5500) {
  return serveEntry(e, req({ method, headers }), 'weir; hit', at);
}

describe('serveEntry', () => {
  it('serves the stored response with Age (whole seconds) and Cache-Status', () => {
    const r = serve([]);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('0123456789');
    expect(header(r.headers, 'age')).toBe('5');
    expect(header(r.headers, 'cache-status')).toBe('weir; hit');
    expect(header(r.headers, 'content-length')).toBe('10');
    expect(header(r.headers, 'content-type')).toBe('text/plain');
  });

  it('answers HEAD with headers only', () => {
    const r = serve([], 'HEAD');
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    expect(header(r.headers, 'content-length')).toBe('10');
  });

  describe('conditionals', () => {
    it('answers a matching If-None-Match (weak comparison) with 304 and the §15.4.5 fields', () => {
      const r = serve(['If-None-Match', 'W/"v0", W/"v1"']);
      expect(r.status).toBe(304);
      expect(r.body.length).toBe(0);
      expect(header(r.headers, 'etag')).toBe('"v1"');
      expect(header(r.headers, 'cache-control')).toBe('max-age=60');
      expect(header(r.headers, 'date')).toBeDefined();
      expect(header(r.headers, 'age')).toBe('5');
      expect(header(r.headers, 'content-type')).toBeUndefined();
      expect(header(r.headers, 'content-length')).toBeUndefined();
      expect(header(r.headers, 'last-modified')).toBeUndefined();
      expect(serve(['if-none-match', '*']).status).toBe(304);
    });

    it('serves 200 when If-None-Match does not match, ignoring If-Modified-Since', () => {
      expect(serve(['if-none-match', '"v2"', 'if-modified-since', httpDate(T0)]).status).toBe(200);
    });

    it('answers If-Modified-Since against Last-Modified', () => {
      expect(serve(['if-modified-since', LM]).status).toBe(304);
      expect(serve(['if-modified-since', httpDate(T0 - 7200_000)]).status).toBe(200);
      expect(serve(['if-modified-since', 'garbage']).status).toBe(200);
    });

    it('includes Last-Modified in a 304 when there is no ETag, and falls back to Date for If-Modified-Since', () => {
      const noTag = entry({ 'cache-control': 'max-age=60', 'last-modified': LM });
      const r = serveEntry(noTag, req({ headers: ['if-modified-since', LM] }), 'weir; hit', T0);
      expect(r.status).toBe(304);
      expect(header(r.headers, 'last-modified')).toBe(LM);
      const dateOnly = entry({ 'cache-control': 'max-age=60' });
      expect(serveEntry(dateOnly, req({ headers: ['if-modified-since', httpDate(T0)] }), 'x', T0).status).toBe(304);
    });

    it('does not evaluate conditionals on non-2xx entries', () => {
      const notFound = entry({ 'cache-control': 'max-age=60', etag: '"v1"' }, { status: 404 });
      expect(serveEntry(notFound, req({ headers: ['if-none-match', '"v1"'] }), 'x', T0).status).toBe(404);
    });
  });

  describe('ranges', () => {
    it('answers a single byte range with 206 and Content-Range', () => {
      const r = serve(['Range', 'bytes=2-4']);
      expect(r.status).toBe(206);
      expect(r.body.toString()).toBe('234');
      expect(header(r.headers, 'content-range')).toBe('bytes 2-4/10');
      expect(header(r.headers, 'content-length')).toBe('3');
    });

    it('supports open and suffix ranges, clamping the end', () => {
      expect(serve(['range', 'bytes=7-']).body.toString()).toBe('789');
      expect(serve(['range', 'bytes=-3']).body.toString()).toBe('789');
      expect(serve(['range', 'bytes=8-100']).body.toString()).toBe('89');
      expect(serve(['range', 'bytes=-100']).body.toString()).toBe('0123456789');
    });

    it('answers an unsatisfiable range with 416', () => {
      const r = serve(['range', 'bytes=10-']);
      expect(r.status).toBe(416);
      expect(header(r.headers, 'content-range')).toBe('bytes */10');
      expect(r.body.length).toBe(0);
      expect(serve(['range', 'bytes=-0']).status).toBe(416);
    });

    it('serves the full 200 for several ranges, other units, bad syntax and HEAD', () => {
      for (const value of ['bytes=0-1,3-4', 'items=0-1', 'bytes=5-2', 'bytes=x-', 'bytes']) {
        const r = serve(['range', value]);
        expect(r.status).toBe(200);
        expect(r.body.length).toBe(10);
      }
      expect(serve(['range', 'bytes=0-1'], 'HEAD').status).toBe(200);
    });

    it('honours If-Range: strong ETag or exact strong Last-Modified', () => {
      expect(serve(['range', 'bytes=0-1', 'if-range', '"v1"']).status).toBe(206);
      expect(serve(['range', 'bytes=0-1', 'if-range', '"v0"']).status).toBe(200);
      expect(serve(['range', 'bytes=0-1', 'if-range', 'W/"v1"']).status).toBe(200);
      expect(serve(['range', 'bytes=0-1', 'if-range', LM]).status).toBe(206);
      expect(serve(['range', 'bytes=0-1', 'if-range', httpDate(T0 - 1000)]).status).toBe(200);
    });

    it('never ranges over a non-200 entry', () => {
      const gone = entry({ 'cache-control': 'max-age=60' }, { status: 410 });
      expect(serveEntry(gone, req({ headers: ['range', 'bytes=0-1'] }), 'x', T0).status).toBe(410);
    });

    it('evaluates an empty body', () => {
      expect(evaluateRange('bytes=0-', 0).kind).toBe('unsatisfiable');
      expect(evaluateRange('bytes=-5', 0).kind).toBe('unsatisfiable');
    });
  });
});

describe('entity tags', () => {
  it('compares weakly and strongly', () => {
    expect(weakMatch('W/"a"', '"a"')).toBe(true);
    expect(strongMatch('"a"', '"a"')).toBe(true);
    expect(strongMatch('W/"a"', 'W/"a"')).toBe(false);
  });

  it('splits lists with commas inside tags', () => {
    expect(splitEntityTags('"a,b", W/"c" ,"d"')).toEqual(['"a,b"', 'W/"c"', '"d"']);
    expect(noneMatch('"x"', null)).toBe(false);
  });
});
