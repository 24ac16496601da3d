import type * as http from 'node:http';
import type { WeirConfig } from '@weir/config';
import { send, type SendOptions, type SimpleResponse } from './harness/client';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { TestUpstream } from './harness/upstreams';

/**
 * RFC 9111 rules of the response cache not covered by cache.test.ts, one case each, against ONE
 * built daemon for the whole file (1 worker, so every request meets the same cache) and a
 * scripted origin that counts requests per path. Every case uses its own path, so the cases
 * share the daemon without seeing each other's entries.
 *
 * Routes: `/small/...` has `maxObjectBytes: 1024`; everything else the defaults.
 */

/** What the scripted origin answers for a path (`n`: this path's request number, from 1). */
type Script = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const scripts = new Map<string, Script>();
const counts = new Map<string, number>();
let origin: TestUpstream;
let file: ConfigFile;
let daemon: Daemon;

beforeAll(async () => {
  origin = await TestUpstream.start('origin', (req, res) => {
    const path = (req.url ?? '').split('?')[0] as string;
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    req.resume();
    req.on('end', () => {
      const script = scripts.get(path);
      if (script === undefined) {
        res.writeHead(404, { 'content-length': '0' });
        res.end();
        return;
      }
      script(req, res, n);
    });
  });
  const config: WeirConfig = proxyConfig({
    workers: 1,
    routes: [
      { name: 'small', match: { path: { prefix: '/small' } }, upstream: 'origin', cache: { maxObjectBytes: 1024 } },
      { name: 'cached', upstream: 'origin', cache: {} },
    ],
    upstreams: [upstream('origin', origin.address)],
  });
  file = new ConfigFile(config);
  daemon = await Daemon.start({ configPath: file.path });
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  file?.remove();
  await origin?.close();
});

/** Origin requests seen for a path (so far). */
const hits = (path: string): number => counts.get(path) ?? 0;
/** What the origin saw of the requests to a path, in order. */
const seen = (path: string) => origin.requests.filter((r) => (r.url.split('?')[0] as string) === path);
const get = (path: string, headers: http.OutgoingHttpHeaders = {}, options: SendOptions = {}): Promise<SimpleResponse> =>
  send(daemon.port, { path, headers, ...options });

/** 200 with a fixed body and Content-Length. */
const answer =
  (headers: http.OutgoingHttpHeaders, body: string, status = 200): Script =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

/** A validating origin: 304 (with `headers304`, default `headers`) when If-None-Match carries the ETag, else 200. */
const validating =
  (headers: http.OutgoingHttpHeaders & { etag: string }, body: string, headers304: http.OutgoingHttpHeaders = headers): Script =>
  (req, res, n) => {
    if (req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, headers304);
      res.end();
      return;
    }
    answer(headers, body)(req, res, n);
  };

/** HTTP-date `seconds` from now. */
const httpDate = (seconds: number): string => new Date(Date.now() + seconds * 1000).toUTCString();

describe('cache rules (RFC 9111) through one daemon', () => {
  // Each row: origin response headers, request headers (both requests), origin hits after two
  // GETs, and the second answer's Cache-Status.
  test.each<[string, string, http.OutgoingHttpHeaders, http.OutgoingHttpHeaders, number, RegExp]>([
    // §4.2.1: s-maxage overrides max-age in a shared cache.
    ['s-maxage wins over max-age (shared cache)', '/r/smaxage', { 'cache-control': 's-maxage=60, max-age=0' }, {}, 1, /^weir; hit$/],
    // §4.2.1 / §5.3: lifetime = Expires - Date.
    ['Expires in the future (with Date) is fresh', '/r/expires-future', { expires: httpDate(3600) }, {}, 1, /^weir; hit$/],
    // §4.2.1 / §5.3: an Expires at or before Date gives lifetime 0: stale at once, so the next use goes to the origin.
    ['Expires in the past is not fresh', '/r/expires-past', { expires: httpDate(-3600) }, {}, 2, /^weir; fwd=stale; fwd-status=200/],
    // §4.2.2: a 200 (heuristically cacheable) with an old Last-Modified and no explicit lifetime gets a heuristic lifetime.
    ['heuristic freshness for a 200 with an old Last-Modified', '/r/heuristic-200', { 'last-modified': httpDate(-365 * 86400) }, {}, 1, /^weir; hit$/],
    // §3.5: a request with Authorization: the response is not stored without public / s-maxage / must-revalidate.
    ['Authorization, max-age only: not stored', '/r/auth-plain', { 'cache-control': 'max-age=60' }, { authorization: 'Bearer t' }, 2, /^weir; fwd=uri-miss; fwd-status=200$/],
    // §3.5: ... but "public" allows it.
    ['Authorization with public: stored', '/r/auth-public', { 'cache-control': 'public, max-age=60' }, { authorization: 'Bearer t' }, 1, /^weir; hit$/],
    // §3.5: ... and so does "s-maxage".
    ['Authorization with s-maxage: stored', '/r/auth-smaxage', { 'cache-control': 's-maxage=60' }, { authorization: 'Bearer t' }, 1, /^weir; hit$/],
    // §3.5: ... and "must-revalidate".
    ['Authorization with must-revalidate: stored', '/r/auth-mustrev', { 'cache-control': 'must-revalidate, max-age=60' }, { authorization: 'Bearer t' }, 1, /^weir; hit$/],
  ])('%s', async (_name, path, responseHeaders, requestHeaders, expectedHits, secondStatus) => {
    scripts.set(path, answer(responseHeaders, `body of ${path}`));
    const first = await get(path, requestHeaders);
    expect(first.status).toBe(200);
    expect(first.body).toBe(`body of ${path}`);
    const second = await get(path, requestHeaders);
    expect(second.status).toBe(200);
    expect(second.body).toBe(`body of ${path}`);
    expect(second.headers['cache-status']).toMatch(secondStatus);
    expect(hits(path)).toBe(expectedHits);
  });

  test('heuristic freshness does not apply to a 302 (not heuristically cacheable): forwarded every time (§4.2.2)', async () => {
    const path = '/r/heuristic-302';
    scripts.set(path, answer({ location: '/elsewhere', 'last-modified': httpDate(-365 * 86400) }, 'moved', 302));
    const first = await get(path);
    const second = await get(path);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(second.headers['location']).toBe('/elsewhere');
    // RFC 9111 §3: no explicit freshness, not public, status not heuristically cacheable: not
    // stored at all, so the second request is an unconditional miss.
    expect(hits(path)).toBe(2);
    expect(second.headers['cache-status']).toMatch(/^weir; fwd=uri-miss/);
    expect(seen(path)[1]?.headers['if-modified-since']).toBeUndefined();
  });

  test('a 304 whose validator does not match the stored response is not used: the request is sent again unconditionally (§4.3.4)', async () => {
    const path = '/r/304-mismatch';
    scripts.set(path, (req, res, n) => {
      if (n === 1) return answer({ 'cache-control': 'max-age=0', etag: '"a"' }, 'old-a')(req, res, n);
      if (req.headers['if-none-match'] !== undefined) {
        res.writeHead(304, { etag: '"b"' });
        res.end();
        return;
      }
      answer({ 'cache-control': 'max-age=0', etag: '"b"' }, 'new-b')(req, res, n);
    });
    expect((await get(path)).body).toBe('old-a');
    const second = await get(path);
    expect(second.body).toBe('new-b');
    expect(second.headers['etag']).toBe('"b"');
    expect(hits(path)).toBe(3);
    expect(seen(path)[2]?.headers['if-none-match']).toBeUndefined();
  });

  // The stored entry is fresh (max-age=60) or stale (max-age=0); the origin answers 304 to a matching If-None-Match.
  test.each<[string, string, http.OutgoingHttpHeaders, http.OutgoingHttpHeaders, number, RegExp, boolean]>([
    // §5.2.2.4: response no-cache: stored, but never used without successful validation, even when fresh.
    ['response no-cache: revalidated on every use', '/v/resp-nocache', { 'cache-control': 'no-cache, max-age=60' }, {}, 2, /^weir; fwd=stale; fwd-status=304$/, true],
    // §5.2.1.4: request no-cache: the cache must not use a stored response without validating it.
    ['request Cache-Control: no-cache revalidates a fresh entry', '/v/req-nocache', { 'cache-control': 'max-age=60' }, { 'cache-control': 'no-cache' }, 2, /^weir; fwd=request; fwd-status=304$/, true],
    // §5.4: Pragma: no-cache without Cache-Control counts as Cache-Control: no-cache.
    ['request Pragma: no-cache alone revalidates a fresh entry', '/v/req-pragma', { 'cache-control': 'max-age=60' }, { pragma: 'no-cache' }, 2, /^weir; fwd=request; fwd-status=304$/, true],
    // §5.2.1.1: request max-age=0: a response older than 0 s is not acceptable: revalidate.
    ['request max-age=0 revalidates a fresh entry', '/v/req-maxage0', { 'cache-control': 'max-age=60' }, { 'cache-control': 'max-age=0' }, 2, /^weir; fwd=request; fwd-status=304$/, true],
    // §5.2.1.2 / §4.2.4: request max-stale accepts a stale entry (nothing in the response forbids it).
    ['request max-stale serves a stale entry', '/v/req-maxstale', { 'cache-control': 'max-age=0' }, { 'cache-control': 'max-stale=600' }, 1, /^weir; hit; detail=stale$/, false],
  ])('%s', async (_name, path, responseHeaders, secondRequestHeaders, expectedHits, secondStatus, conditional) => {
    scripts.set(path, validating({ ...responseHeaders, etag: '"e1"' }, `body of ${path}`));
    expect((await get(path)).body).toBe(`body of ${path}`);
    const second = await get(path, secondRequestHeaders);
    expect(second.status).toBe(200);
    expect(second.body).toBe(`body of ${path}`);
    expect(second.headers['cache-status']).toMatch(secondStatus);
    expect(hits(path)).toBe(expectedHits);
    if (conditional) expect(seen(path)[1]?.headers['if-none-match']).toBe('"e1"');
  });

  test('response no-cache: a third use is revalidated again, each time with a conditional (§5.2.2.4)', async () => {
    const path = '/v/resp-nocache-3';
    scripts.set(path, validating({ 'cache-control': 'no-cache, max-age=60', etag: '"n1"' }, 'nc'));
    for (let i = 0; i < 3; i++) expect((await get(path)).body).toBe('nc');
    expect(hits(path)).toBe(3);
    expect(seen(path).map((r) => r.headers['if-none-match'] ?? null)).toEqual([null, '"n1"', '"n1"']);
  });

  test('must-revalidate: an origin 503 is passed to the client, the stale entry is not served (§5.2.2.2, §4.2.4)', async () => {
    const path = '/v/mustrev-503';
    scripts.set(path, (req, res, n) => {
      if (n === 1) answer({ 'cache-control': 'max-age=0, must-revalidate, stale-if-error=600', etag: '"m"' }, 'kept')(req, res, n);
      else {
        res.writeHead(503, { 'content-length': '4' });
        res.end('down');
      }
    });
    expect((await get(path)).body).toBe('kept');
    const during = await get(path);
    expect(during.status).toBe(503);
    expect(during.body).toBe('down');
    expect(during.headers['cache-status']).toMatch(/^weir; fwd=stale; fwd-status=503/);
    // Nor may a request's max-stale make it usable (§5.2.2.2: "MUST NOT be used ... without successful validation").
    const maxStale = await get(path, { 'cache-control': 'max-stale=600' });
    expect(maxStale.status).toBe(503);
    expect(hits(path)).toBe(3);
  });

  test('Cache-Status: uri-miss then hit for a GET, fwd=method for a POST (RFC 9211 §2)', async () => {
    const path = '/s/status';
    scripts.set(path, answer({ 'cache-control': 'max-age=60' }, 'st'));
    expect((await get(path)).headers['cache-status']).toBe('weir; fwd=uri-miss; fwd-status=200; stored');
    expect((await get(path)).headers['cache-status']).toBe('weir; hit');
    const post = await get(path, {}, { method: 'POST', body: 'x' });
    expect(post.headers['cache-status']).toBe('weir; fwd=method');
    expect(hits(path)).toBe(2);
  });

  test.each<[string, string, boolean]>([
    ['with Content-Length', '/small/cl', true],
    ['chunked (found while streaming)', '/small/chunked', false],
  ])('a body larger than maxObjectBytes (%s) reaches the client whole and is not stored (§3)', async (_name, path, withLength) => {
    const body = 'b'.repeat(4000);
    scripts.set(path, (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', ...(withLength ? { 'content-length': String(body.length) } : {}) });
      if (withLength) res.end(body);
      else {
        // Several chunks, no Content-Length.
        for (let i = 0; i < 4; i++) res.write(body.slice(i * 1000, (i + 1) * 1000));
        res.end();
      }
    });
    const first = await get(path);
    expect(first.body).toBe(body);
    // With Content-Length the size is known before the headers go out; a chunked body is found
    // too large only while streaming, after `Cache-Status: ...; stored` was already sent.
    if (withLength) expect(first.headers['cache-status']).toBe('weir; fwd=uri-miss; fwd-status=200');
    const second = await get(path);
    expect(second.body).toBe(body);
    // Not a hit: nothing was stored.
    expect(second.headers['cache-status']).toMatch(/^weir; fwd=uri-miss; fwd-status=200/);
    expect(hits(path)).toBe(2);
  });

  test('a chunked response (no Content-Length) within maxObjectBytes is stored (§3)', async () => {
    const path = '/small/chunked-ok';
    scripts.set(path, (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.write('abc');
      res.write('def');
      res.end();
    });
    const first = await get(path);
    expect(first.headers['transfer-encoding']).toBe('chunked');
    expect(first.body).toBe('abcdef');
    const second = await get(path);
    expect(second.body).toBe('abcdef');
    expect(second.headers['cache-status']).toBe('weir; hit');
    expect(second.headers['content-length']).toBe('6');
    expect(hits(path)).toBe(1);
  });

  test('a POST answered 201 with a same-origin Location invalidates the stored GET of that URI (§4.4)', async () => {
    scripts.set('/i/other', answer({ 'cache-control': 'max-age=60' }, 'other'));
    scripts.set('/i/create', answer({ location: '/i/other' }, 'created', 201));
    await get('/i/other');
    expect((await get('/i/other')).headers['cache-status']).toBe('weir; hit');
    expect(hits('/i/other')).toBe(1);
    expect((await get('/i/create', {}, { method: 'POST', body: 'x' })).status).toBe(201);
    const after = await get('/i/other');
    expect(after.headers['cache-status']).toMatch(/^weir; fwd=uri-miss/);
    expect(hits('/i/other')).toBe(2);
  });

  test('a 304 refresh updates the stored headers: later hits carry the new field values (§3.2, §4.3.4)', async () => {
    const path = '/u/refresh';
    scripts.set(
      path,
      validating({ 'cache-control': 'max-age=0', etag: '"u1"', 'x-version': '1' }, 'same body', { 'cache-control': 'max-age=60', etag: '"u1"', 'x-version': '2' }),
    );
    expect((await get(path)).headers['x-version']).toBe('1');
    const revalidated = await get(path);
    expect(revalidated.headers['cache-status']).toBe('weir; fwd=stale; fwd-status=304');
    expect(revalidated.body).toBe('same body');
    expect(revalidated.headers['x-version']).toBe('2');
    // Now fresh for 60 s from the 304: a hit with the updated headers, no origin request.
    const hit = await get(path);
    expect(hit.headers['cache-status']).toBe('weir; hit');
    expect(hit.headers['x-version']).toBe('2');
    expect(hit.headers['cache-control']).toBe('max-age=60');
    expect(hit.body).toBe('same body');
    expect(hits(path)).toBe(2);
  });

  test('HEAD on a miss is forwarded as HEAD and stores nothing: the next GET is a miss (§3)', async () => {
    const path = '/h/head-miss';
    scripts.set(path, answer({ 'cache-control': 'max-age=60' }, 'headless'));
    const head = await get(path, {}, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(seen(path)[0]?.method).toBe('HEAD');
    const next = await get(path);
    expect(next.body).toBe('headless');
    expect(next.headers['cache-status']).toMatch(/^weir; fwd=uri-miss/);
    expect(seen(path).map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  test('a Range request with nothing stored is passed to the origin with its Range, and not stored (§3.3)', async () => {
    const path = '/h/range-miss';
    const body = '0123456789';
    scripts.set(path, (req, res) => {
      const range = req.headers['range'];
      if (range === 'bytes=0-3') {
        res.writeHead(206, { 'cache-control': 'max-age=60', 'content-range': `bytes 0-3/${body.length}`, 'content-length': '4' });
        res.end(body.slice(0, 4));
        return;
      }
      answer({ 'cache-control': 'max-age=60' }, body)(req, res, 0);
    });
    const partial = await get(path, { range: 'bytes=0-3' });
    expect(partial.status).toBe(206);
    expect(partial.body).toBe('0123');
    expect(partial.headers['cache-status']).toBe('weir; fwd=bypass');
    expect(seen(path)[0]?.headers['range']).toBe('bytes=0-3');
    const full = await get(path);
    expect(full.body).toBe(body);
    expect(full.headers['cache-status']).toMatch(/^weir; fwd=uri-miss/);
    expect(hits(path)).toBe(2);
  });
});
