import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { parseErrorBody, send } from './harness/client';
import { closeAll, startUpstreams, type TestUpstream } from './harness/upstreams';

/**
 * Routing end to end: host exact and wildcard buckets, path exact/prefix/regex, methods,
 * headers, a direct response, and the 404 body when nothing matches. Each route forwards to its
 * own upstream, whose name comes back as the body.
 */
describe('routing', () => {
  let upstreams: TestUpstream[] = [];
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeAll(async () => {
    upstreams = await startUpstreams(['exact-host', 'wildcard-host', 'path-exact', 'path-prefix', 'path-regex', 'method', 'header']);
    config = new ConfigFile(
      proxyConfig({
        routes: [
          // The wildcard comes first in config order: an exact host must still win over it.
          { name: 'wildcard', match: { hosts: ['*.example.test'] }, upstream: 'wildcard-host' },
          { name: 'exact', match: { hosts: ['api.example.test'] }, upstream: 'exact-host' },
          { name: 'hello', match: { path: { exact: '/hello' } }, directResponse: { status: 203, body: 'hi there', headers: { 'x-direct': 'yes' } } },
          { name: 'path-exact', match: { path: { exact: '/exact' } }, upstream: 'path-exact' },
          { name: 'path-prefix', match: { path: { prefix: '/pre' } }, upstream: 'path-prefix' },
          { name: 'path-regex', match: { path: { regex: '/items/[0-9]+' } }, upstream: 'path-regex' },
          { name: 'method', match: { path: { prefix: '/m' }, methods: ['DELETE'] }, upstream: 'method' },
          { name: 'header', match: { path: { exact: '/h' }, headers: [{ name: 'X-Tenant', exact: 'blue' }] }, upstream: 'header' },
        ],
        upstreams: upstreams.map((u) => upstream(u.name, u.address)),
      }),
    );
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await closeAll(upstreams);
    config?.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    send((daemon as Daemon).port, { method, path, headers: { host: 'other.test', ...headers } });

  test('an exact host wins over a wildcard listed before it, and ignores the port', async () => {
    expect.assertions(2);
    expect((await get('/anything', { host: 'api.example.test' })).body).toBe('exact-host');
    expect((await get('/anything', { host: 'API.example.test:8080' })).body).toBe('exact-host');
  });

  test('a wildcard host matches one or more labels but not the bare domain', async () => {
    expect.assertions(3);
    expect((await get('/x', { host: 'www.example.test' })).body).toBe('wildcard-host');
    expect((await get('/x', { host: 'a.b.example.test' })).body).toBe('wildcard-host');
    expect((await get('/nothing-here', { host: 'example.test' })).status).toBe(404);
  });

  test('path exact matches only the exact path and passes the query on', async () => {
    expect.assertions(4);
    const upstreamExact = upstreams.find((u) => u.name === 'path-exact') as TestUpstream;
    const response = await get('/exact?q=1');
    expect(response.body).toBe('path-exact');
    expect(upstreamExact.requests[upstreamExact.requests.length - 1]?.url).toBe('/exact?q=1');
    expect((await get('/exact/more')).status).toBe(404);
    expect((await get('/exac')).status).toBe(404);
  });

  test('path prefix matches at segment boundaries only', async () => {
    expect.assertions(3);
    expect((await get('/pre')).body).toBe('path-prefix');
    expect((await get('/pre/x/y')).body).toBe('path-prefix');
    expect((await get('/prefix')).status).toBe(404);
  });

  test('path regex is anchored to the whole path', async () => {
    expect.assertions(3);
    expect((await get('/items/42')).body).toBe('path-regex');
    expect((await get('/items/abc')).status).toBe(404);
    expect((await get('/items/42/x')).status).toBe(404);
  });

  test('methods restrict a route', async () => {
    expect.assertions(2);
    expect((await get('/m', {}, 'DELETE')).body).toBe('method');
    expect((await get('/m', {}, 'GET')).status).toBe(404);
  });

  test('header conditions match case-insensitive names on exact values', async () => {
    expect.assertions(3);
    expect((await get('/h', { 'x-tenant': 'blue' })).body).toBe('header');
    expect((await get('/h', { 'x-tenant': 'red' })).status).toBe(404);
    expect((await get('/h')).status).toBe(404);
  });

  test('a direct response route answers without an upstream', async () => {
    expect.assertions(3);
    const response = await get('/hello');
    expect(response.status).toBe(203);
    expect(response.body).toBe('hi there');
    expect(response.headers['x-direct']).toBe('yes');
  });

  test('no route is a 404 with WEIR_ERR_NO_ROUTE in the documented JSON shape', async () => {
    expect.assertions(4);
    const response = await get('/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = parseErrorBody(response);
    expect(body).toEqual({ error: { code: 'WEIR_ERR_NO_ROUTE', status: 404, message: expect.any(String) } });
    expect(upstreams.every((u) => !u.requests.some((r) => r.url === '/nowhere'))).toBe(true);
  });
});
