import type * as http from 'node:http';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { pollSample } from './harness/metrics';
import { TestUpstream, type SeenRequest } from './harness/upstreams';

/**
 * The response cache through the built daemon (issue 10, RFC 9111): one test per rule against a
 * scripted origin that counts requests, and the interaction cases (Vary, revalidation,
 * stale-if-error with the origin down, collapsed misses, purge across workers, eviction).
 */
const writer = testToken('ci', ['read', 'write']);
const daemons = daemonPerTest();

/** What the scripted origin answers for a path. */
type Script = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

describe('response cache through the daemon', () => {
  let origin: TestUpstream;
  const scripts = new Map<string, Script>();
  const counts = new Map<string, number>();

  beforeAll(async () => {
    origin = await TestUpstream.start('origin', (req, res) => {
      const path = (req.url ?? '').split('?')[0] as string;
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      req.resume();
      req.on('end', () => {
        const script = scripts.get(path);
        if (script === undefined) {
          res.writeHead(404);
          res.end();
          return;
        }
        script(req, res, n);
      });
    });
  });
  afterAll(async () => {
    await origin.close();
  });
  beforeEach(() => {
    scripts.clear();
    counts.clear();
  });

  const config = (workers = 1, cache: NonNullable<WeirConfig['routes'][number]['cache']> = {}): WeirConfig => ({
    ...proxyConfig({ workers, routes: [{ name: 'cached', upstream: 'origin', cache }], upstreams: [upstream('origin', origin.address)] }),
    admin: { tokens: [writer.entry] },
  });
  const hits = (path: string): number => counts.get(path) ?? 0;
  const answer = (headers: http.OutgoingHttpHeaders, body: string): Script => (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  test('a fresh response is served from the cache with Age and Cache-Status; HEAD and ranges from it too', async () => {
    scripts.set('/fresh', answer({ 'cache-control': 'max-age=60' }, 'hello cache'));
    const daemon = await daemons.start(config());
    const first = await send(daemon.port, { path: '/fresh' });
    expect(first.body).toBe('hello cache');
    expect(first.headers['cache-status']).toMatch(/^weir; fwd=uri-miss; fwd-status=200; stored$/);
    const second = await send(daemon.port, { path: '/fresh' });
    expect(second.body).toBe('hello cache');
    expect(second.headers['cache-status']).toBe('weir; hit');
    expect(Number(second.headers['age'])).toBeGreaterThanOrEqual(0);
    const head = await send(daemon.port, { method: 'HEAD', path: '/fresh' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const range = await send(daemon.port, { path: '/fresh', headers: { range: 'bytes=0-4' } });
    expect(range.status).toBe(206);
    expect(range.body).toBe('hello');
    expect(range.headers['content-range']).toBe('bytes 0-4/11');
    expect(hits('/fresh')).toBe(1);
  });

  test.each([
    ['no-store', { 'cache-control': 'no-store, max-age=60' }],
    ['private', { 'cache-control': 'private, max-age=60' }],
    ['Set-Cookie', { 'cache-control': 'max-age=60', 'set-cookie': 'id=1' }],
    ['no freshness and no validator', {}],
    ['Vary: *', { 'cache-control': 'max-age=60', vary: '*' }],
  ])('a response with %s is not stored', async (_name, headers) => {
    scripts.set('/not', answer(headers as http.OutgoingHttpHeaders, 'x'));
    const daemon = await daemons.start(config());
    await send(daemon.port, { path: '/not' });
    await send(daemon.port, { path: '/not' });
    expect(hits('/not')).toBe(2);
  });

  test('Vary keeps one entry per request header value', async () => {
    scripts.set('/vary', (req, res) => answer({ 'cache-control': 'max-age=60', vary: 'accept-language' }, `lang=${String(req.headers['accept-language'])}`)(req, res, 0));
    const daemon = await daemons.start(config());
    const de = async (): Promise<string> => (await send(daemon.port, { path: '/vary', headers: { 'accept-language': 'de' } })).body;
    const fr = async (): Promise<string> => (await send(daemon.port, { path: '/vary', headers: { 'accept-language': 'fr' } })).body;
    expect([await de(), await fr(), await de(), await fr()]).toEqual(['lang=de', 'lang=fr', 'lang=de', 'lang=fr']);
    expect(hits('/vary')).toBe(2);
  });

  test('a stale entry is revalidated: 304 keeps the stored body, a changed validator replaces it', async () => {
    let etag = '"v1"';
    scripts.set('/reval', (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'cache-control': 'max-age=0' });
        res.end();
        return;
      }
      answer({ etag, 'cache-control': 'max-age=0' }, `body ${etag}`)(req, res, 0);
    });
    const daemon = await daemons.start(config());
    expect((await send(daemon.port, { path: '/reval' })).body).toBe('body "v1"');
    const revalidated = await send(daemon.port, { path: '/reval' });
    expect(revalidated.status).toBe(200);
    expect(revalidated.body).toBe('body "v1"');
    expect(revalidated.headers['cache-status']).toMatch(/fwd-status=304/);
    etag = '"v2"';
    expect((await send(daemon.port, { path: '/reval' })).body).toBe('body "v2"');
    expect(hits('/reval')).toBe(3);
    const seen = origin.requests.filter((r: SeenRequest) => r.url === '/reval');
    expect(seen[1]?.headers['if-none-match']).toBe('"v1"');
  });

  test('stale-if-error: with the origin failing, the stale entry answers', async () => {
    scripts.set('/sie', (req, res, n) => {
      if (n === 1) answer({ 'cache-control': 'max-age=0, stale-if-error=600', etag: '"a"' }, 'kept')(req, res, n);
      else {
        res.writeHead(503);
        res.end();
      }
    });
    const daemon = await daemons.start(config());
    expect((await send(daemon.port, { path: '/sie' })).body).toBe('kept');
    const during = await send(daemon.port, { path: '/sie' });
    expect(during.status).toBe(200);
    expect(during.body).toBe('kept');
    expect(during.headers['cache-status']).toMatch(/stale-if-error/);
  });

  test('stale-if-error: with the origin down (connection refused), the stale entry answers', async () => {
    const lone = await TestUpstream.start('lone', (req, res) => {
      req.resume();
      res.writeHead(200, { 'cache-control': 'max-age=0, stale-if-error=600', etag: '"b"', 'content-length': '4' });
      res.end('lone');
    });
    const daemon = await daemons.start({
      ...proxyConfig({ workers: 1, routes: [{ name: 'cached', upstream: 'lone', cache: {} }], upstreams: [upstream('lone', lone.address)] }),
    });
    expect((await send(daemon.port, { path: '/down' })).body).toBe('lone');
    await lone.close();
    const during = await send(daemon.port, { path: '/down' });
    expect(during.status).toBe(200);
    expect(during.body).toBe('lone');
    expect(during.headers['cache-status']).toBe('weir; fwd=stale; detail=stale-if-error');
  });

  test('stale-while-revalidate: the stale entry answers at once, and one background refresh updates it', async () => {
    let version = 1;
    scripts.set('/swr', (req, res) => answer({ 'cache-control': 'max-age=0, stale-while-revalidate=600', etag: `"${version}"` }, `v${version}`)(req, res, 0));
    const daemon = await daemons.start(config());
    expect((await send(daemon.port, { path: '/swr' })).body).toBe('v1');
    version = 2;
    const stale = await send(daemon.port, { path: '/swr' });
    expect(stale.body).toBe('v1');
    expect(stale.headers['cache-status']).toBe('weir; hit; detail=stale-while-revalidate');
    // The refresh stored v2: poll until a request sees it (each may start one more refresh).
    let body = stale.body;
    for (let i = 0; i < 200 && body !== 'v2'; i++) body = (await send(daemon.port, { path: '/swr' })).body;
    expect(body).toBe('v2');
  });

  test('client conditionals are answered from the entry: a matching If-None-Match gets 304', async () => {
    scripts.set('/cond', answer({ 'cache-control': 'max-age=60', etag: '"e1"' }, 'cond'));
    const daemon = await daemons.start(config());
    await send(daemon.port, { path: '/cond' });
    const conditional = await send(daemon.port, { path: '/cond', headers: { 'if-none-match': '"e1"' } });
    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe('');
    expect(hits('/cond')).toBe(1);
  });

  test('50 concurrent misses make one origin request (collapsed forwarding)', async () => {
    const held: (() => void)[] = [];
    scripts.set('/collapse', (req, res) => held.push(() => answer({ 'cache-control': 'max-age=60' }, 'one')(req, res, 0)));
    const daemon = await daemons.start(config(1));
    const all = Promise.all(Array.from({ length: 50 }, () => send(daemon.port, { path: '/collapse' })));
    // Release the origin's answer once the other 49 wait on the leader's fetch.
    const collapsed = await pollSample(daemon, writer.token, 'weir_cache_requests_total{route="cached",result="collapsed"}', (v) => v >= 49);
    expect(collapsed).toBe(49);
    // The leader's request may still be on its way to the origin.
    for (let i = 0; i < 500 && held.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(1);
    (held[0] as () => void)();
    const answers = await all;
    expect(answers.every((a) => a.status === 200 && a.body === 'one')).toBe(true);
    expect(hits('/collapse')).toBe(1);
  }, 60_000);

  test('a successful POST invalidates the stored GET of its URI', async () => {
    scripts.set('/item', (req, res) => (req.method === 'POST' ? answer({}, 'posted')(req, res, 0) : answer({ 'cache-control': 'max-age=60' }, 'item')(req, res, 0)));
    const daemon = await daemons.start(config());
    await send(daemon.port, { path: '/item' });
    await send(daemon.port, { path: '/item' });
    expect(hits('/item')).toBe(1);
    await send(daemon.port, { method: 'POST', path: '/item', body: 'x' });
    await send(daemon.port, { path: '/item' });
    expect(hits('/item')).toBe(3);
  });

  test('purge by key and by prefix reaches both workers with their acknowledgements', async () => {
    scripts.set('/p/a', answer({ 'cache-control': 'max-age=60' }, 'a'));
    const daemon = await daemons.start(config(2));
    for (let i = 0; i < 8; i++) await send(daemon.port, { path: '/p/a', headers: { host: 'shop.test' } });
    const stored = hits('/p/a');
    expect(stored).toBeLessThanOrEqual(2);
    const purged = await adminCall(daemon, 'POST', '/admin/cache/purge', { token: writer.token, body: { route: 'cached', prefix: 'http://shop.test/p/' } });
    expect(purged.status).toBe(200);
    const body = purged.json as { purged: number; workers: unknown[] };
    expect(body.workers).toHaveLength(2);
    expect(body.purged).toBe(stored);
    await send(daemon.port, { path: '/p/a', headers: { host: 'shop.test' } });
    expect(hits('/p/a')).toBe(stored + 1);
    const byKey = await adminCall(daemon, 'POST', '/admin/cache/purge', { token: writer.token, body: { route: 'cached', key: 'http://shop.test/p/a' } });
    expect((byKey.json as { purged: number }).purged).toBe(1);
  }, 60_000);

  test('a small budget evicts: stored bytes stay within it', async () => {
    for (let i = 0; i < 40; i++) scripts.set(`/big/${i}`, answer({ 'cache-control': 'max-age=60' }, 'z'.repeat(4000)));
    const daemon = await daemons.start(config(1, { maxBytes: 32768, maxObjectBytes: 8192 }));
    for (let i = 0; i < 40; i++) await send(daemon.port, { path: `/big/${i}` });
    const bytes = await pollSample(daemon, writer.token, 'weir_cache_stored_bytes{route="cached"}', (v) => v > 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(32768);
    // The newest entries stayed.
    await send(daemon.port, { path: '/big/39' });
    expect(hits('/big/39')).toBe(1);
  }, 60_000);
});
