import { startUpstream, type TestUpstream } from '../helpers/servers';
import { errorCode, send, startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, forwardRoute, listener, makeSpec, match, upstream } from '../helpers/spec';

describe('proxy routing', () => {
  let api: TestUpstream;
  let web: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    api = await startUpstream((req, res) => res.end(`api ${req.method} ${req.url}`));
    web = await startUpstream((req, res) => res.end(`web ${req.url}`));
    plane = await startPlane(
      makeSpec({
        listeners: [listener('main'), listener('admin')],
        upstreams: [upstream('api', [api.port]), upstream('web', [web.port])],
        routes: [
          forwardRoute('api', 'api', { match: match({ hosts: ['api.example.com'] }) }),
          directRoute('hello', 200, 'hello\n', {
            match: match({ path: { kind: 'exact', value: '/hello' } }),
            headers: [
              ['content-type', 'text/plain; charset=utf-8'],
              ['x-served-by', 'weir'],
            ],
          }),
          directRoute('admin-only', 202, 'admin', { listeners: ['admin'], match: match({ path: { kind: 'exact', value: '/x' } }) }),
          forwardRoute('web', 'web', { listeners: ['main'], match: match({ path: { kind: 'prefix', value: '/site' } }) }),
        ],
      }),
    );
  });

  afterAll(async () => {
    await plane.close();
    await api.close();
    await web.close();
  });

  it('forwards by host, keeping the request target with its query', async () => {
    expect.assertions(2);
    const res = await send(plane.port, { path: '/v1/users?limit=2', headers: { host: 'API.example.com:8080' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('api GET /v1/users?limit=2');
  });

  it('forwards by path prefix', async () => {
    expect.assertions(2);
    const res = await send(plane.port, { path: '/site/index.html', headers: { host: 'www.example.com' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('web /site/index.html');
  });

  it('answers a direct route from its prebuilt status, headers and body', async () => {
    expect.assertions(5);
    const res = await send(plane.port, { path: '/hello?x=1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-served-by']).toBe('weir');
    expect(res.headers['content-length']).toBe('6');
    expect(res.body.toString()).toBe('hello\n');
  });

  it('sends no body for HEAD on a direct route', async () => {
    expect.assertions(3);
    const res = await send(plane.port, { method: 'HEAD', path: '/hello' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('6');
    expect(res.body.length).toBe(0);
  });

  it('answers 404 WEIR_ERR_NO_ROUTE with the JSON error shape', async () => {
    expect.assertions(5);
    const res = await send(plane.port, { path: '/nothing/here', headers: { host: 'nowhere.example.com' } });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_NO_ROUTE');
    expect(JSON.parse(res.body.toString())).toEqual({
      error: { code: 'WEIR_ERR_NO_ROUTE', status: 404, message: expect.any(String) },
    });
    expect(errorCode(res)).toBe('WEIR_ERR_NO_ROUTE');
  });

  it('applies a route only on the listeners it names', async () => {
    expect.assertions(4);
    const onAdmin = await send(plane.ports.get('admin')!, { path: '/x' });
    const onMain = await send(plane.port, { path: '/x' });
    expect(onAdmin.status).toBe(202);
    expect(onMain.status).toBe(404);
    const siteOnAdmin = await send(plane.ports.get('admin')!, { path: '/site/a' });
    expect(siteOnAdmin.status).toBe(404);
    expect(errorCode(siteOnAdmin)).toBe('WEIR_ERR_NO_ROUTE');
  });

  it('routes an absolute-form request target by its authority (which must agree with Host)', async () => {
    expect.assertions(2);
    const res = await send(plane.port, { path: 'http://api.example.com/abs?q=1', headers: { host: 'API.example.com:80' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('api GET /abs?q=1');
  });
});
