import { connect as h2connect } from 'node:http2';
import { startPlane, send, type TestPlane } from '../helpers/plane';
import { rawExchange, startUpstream, type TestUpstream } from '../helpers/servers';
import { forwardRoute, listener, makeSpec, upstream } from '../helpers/spec';

let origin: TestUpstream;
let plane: TestPlane | null = null;

beforeAll(async () => {
  origin = await startUpstream((req, res) => res.end(`proto=${String(req.headers['x-forwarded-proto'])}`));
});

afterEach(async () => {
  if (plane !== null) await plane.close();
  plane = null;
});

afterAll(async () => {
  await origin.close();
});

describe('answers made at the edge', () => {
  it('redirects every request of a listener with httpsRedirect to HTTPS (308, port kept unless 443)', async () => {
    plane = await startPlane(
      makeSpec({
        listeners: [listener('web', { httpsRedirect: { port: 8443, status: 308 } }), listener('web443', { httpsRedirect: { port: 443, status: 301 } })],
        routes: [forwardRoute('all', 'origin')],
        upstreams: [upstream('origin', [origin.port])],
      }),
    );
    const a = await send(plane.ports.get('web')!, { path: '/a/b?c=1', headers: { host: 'Shop.Example:8080' } });
    expect(a.status).toBe(308);
    expect(a.headers.location).toBe('https://Shop.Example:8443/a/b?c=1');
    const b = await send(plane.ports.get('web443')!, { path: '/x', headers: { host: '[::1]:8080' } });
    expect(b.status).toBe(301);
    expect(b.headers.location).toBe('https://[::1]/x');
    const raw = await rawExchange(plane.ports.get('web')!, 'GET / HTTP/1.0\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('redirects requests of a route with httpsRedirect that arrive on a plain listener', async () => {
    plane = await startPlane(
      makeSpec({
        listeners: [listener('web')],
        routes: [
          forwardRoute('secure', 'origin', { match: { hosts: [], path: { kind: 'prefix', value: '/login' }, methods: [], headers: [] }, httpsRedirect: { port: 443, status: 308 } }),
          forwardRoute('rest', 'origin'),
        ],
        upstreams: [upstream('origin', [origin.port])],
      }),
    );
    const login = await send(plane.port, { path: '/login?next=/', headers: { host: 'a.example' } });
    expect(login.status).toBe(308);
    expect(login.headers.location).toBe('https://a.example/login?next=/');
    const other = await send(plane.port, { path: '/home', headers: { host: 'a.example' } });
    expect(other.status).toBe(200);
    expect(other.body.toString()).toBe('proto=http');
  });

  it('refuses an HTTP/2 :authority that is not a valid host with 400', async () => {
    plane = await startPlane(
      makeSpec({ listeners: [listener('h2c', { protocol: 'h2c' })], routes: [forwardRoute('all', 'origin')], upstreams: [upstream('origin', [origin.port])] }),
    );
    const session = h2connect(`http://127.0.0.1:${plane.ports.get('h2c')!}`);
    try {
      const statusFor = (authority: string): Promise<number> =>
        new Promise<number>((resolve, reject) => {
          const s = session.request({ ':path': '/', ':authority': authority });
          s.on('response', (h) => resolve(Number(h[':status'])));
          s.on('error', reject);
          s.resume();
        });
      expect(await statusFor('a.example:8080')).toBe(200);
      // nghttp2 itself resets a stream whose :authority has characters outside RFC 3986 (a '/');
      // these it lets through: userinfo, and a comma (what two joined Host values look like).
      expect(await statusFor('a.example,b.example')).toBe(400);
      expect(await statusFor('user@a.example')).toBe(400);
    } finally {
      session.close();
    }
  });

  it('answers CONNECT with 501 on HTTP/1.1 and HTTP/2', async () => {
    plane = await startPlane(
      makeSpec({
        listeners: [listener('web'), listener('h2c', { protocol: 'h2c' })],
        routes: [forwardRoute('all', 'origin')],
        upstreams: [upstream('origin', [origin.port])],
      }),
    );
    const h1 = await rawExchange(plane.ports.get('web')!, 'CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n');
    expect(h1).toMatch(/^HTTP\/1\.1 501 /);
    expect(h1).toContain('WEIR_ERR_METHOD_NOT_IMPLEMENTED');
    const session = h2connect(`http://127.0.0.1:${plane.ports.get('h2c')!}`);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const s = session.request({ ':method': 'CONNECT', ':authority': 'a.example:443' });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
      });
      expect(status).toBe(501);
    } finally {
      session.close();
    }
  });
});
