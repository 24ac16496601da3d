import { CONTINUE, type PluginReply } from '../../src/index';
import { CorsPlugin } from '../../src/builtins/index';
import { TestRequest, testResponse } from '../support/test-request';

const spec = {
  type: 'cors' as const,
  allowOrigins: ['https://app.example.com', 'https://admin.example.com'],
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAgeSeconds: 600,
};

const preflight = (origin: string, extra: string[] = []): TestRequest =>
  new TestRequest({ method: 'OPTIONS', headers: ['Origin', origin, 'Access-Control-Request-Method', 'DELETE', ...extra] });

describe('cors preflight', () => {
  it('answers an allowed origin with 204 and every CORS header', () => {
    const plugin = new CorsPlugin(spec);
    const reply = plugin.onRequest(preflight('https://app.example.com', ['access-control-request-headers', 'content-type'])) as PluginReply;
    expect(reply).toEqual({
      status: 204,
      body: '',
      code: null,
      headers: [
        'access-control-allow-origin', 'https://app.example.com',
        'access-control-allow-methods', 'GET, POST, DELETE',
        'access-control-allow-headers', 'authorization, content-type',
        'access-control-max-age', '600',
        'access-control-allow-credentials', 'true',
        'vary', 'Origin',
      ],
    });
  });

  it('answers a disallowed origin with 204 and no Access-Control header, without forwarding', () => {
    const plugin = new CorsPlugin(spec);
    const reply = plugin.onRequest(preflight('https://evil.example')) as PluginReply;
    expect(reply).toEqual({ status: 204, body: '', code: null, headers: ['vary', 'Origin'] });
  });

  it('with "*": one constant reply, Allow-Origin *, no credentials, no Vary', () => {
    const plugin = new CorsPlugin({ ...spec, allowOrigins: ['*'], allowHeaders: [] });
    const a = plugin.onRequest(preflight('https://anything.example')) as PluginReply;
    expect(a.headers).toEqual(['access-control-allow-origin', '*', 'access-control-allow-methods', 'GET, POST, DELETE', 'access-control-max-age', '600']);
    expect(plugin.onRequest(preflight('https://other.example'))).toBe(a);
  });

  it('lets OPTIONS without Origin or without Access-Control-Request-Method through', () => {
    const plugin = new CorsPlugin(spec);
    expect(plugin.onRequest(new TestRequest({ method: 'OPTIONS', headers: ['origin', 'https://app.example.com'] }))).toBe(CONTINUE);
    expect(plugin.onRequest(new TestRequest({ method: 'OPTIONS', headers: ['access-control-request-method', 'GET'] }))).toBe(CONTINUE);
    expect(plugin.onRequest(new TestRequest({ method: 'GET', headers: ['origin', 'https://app.example.com', 'access-control-request-method', 'GET'] }))).toBe(CONTINUE);
  });

  it('adds nothing more to its own preflight reply in the response phase', () => {
    const plugin = new CorsPlugin(spec);
    const req = preflight('https://app.example.com');
    const reply = plugin.onRequest(req) as PluginReply;
    const res = testResponse(204, reply.headers.slice());
    plugin.onResponse(req, res);
    expect(res.headers).toEqual(reply.headers);
  });
});

/** What the exchange does: upstream headers, then the collected response headers, then the response phase. */
function respond(plugin: CorsPlugin, req: TestRequest, upstream: string[], status = 200): string[] {
  const res = testResponse(status, upstream.concat(req.responseHeaders ?? []));
  plugin.onResponse(req, res);
  return res.headers;
}

describe('cors actual requests', () => {
  it('collects Vary, Allow-Origin, Expose-Headers and Credentials for an allowed origin; the response phase replaces the upstream ones', () => {
    const plugin = new CorsPlugin(spec);
    const req = new TestRequest({ method: 'POST', headers: ['origin', 'https://admin.example.com'] });
    expect(plugin.onRequest(req)).toBe(CONTINUE);
    expect(req.responseHeaders).toEqual([
      'vary', 'Origin',
      'access-control-allow-origin', 'https://admin.example.com',
      'access-control-expose-headers', 'x-request-id',
      'access-control-allow-credentials', 'true',
    ]);
    expect(respond(plugin, req, ['Access-Control-Allow-Origin', '*', 'Vary', 'Accept-Encoding'])).toEqual([
      'access-control-allow-origin', 'https://admin.example.com',
      'Vary', 'Accept-Encoding',
      'vary', 'Origin',
      'access-control-expose-headers', 'x-request-id',
      'access-control-allow-credentials', 'true',
    ]);
  });

  it('collects only Vary: Origin for a disallowed origin or no origin, and leaves the upstream headers alone', () => {
    const plugin = new CorsPlugin(spec);
    const evil = new TestRequest({ headers: ['origin', 'https://evil.example'] });
    plugin.onRequest(evil);
    expect(respond(plugin, evil, ['access-control-allow-origin', 'https://evil.example'])).toEqual(['access-control-allow-origin', 'https://evil.example', 'vary', 'Origin']);
    const none = new TestRequest();
    plugin.onRequest(none);
    expect(respond(plugin, none, [])).toEqual(['vary', 'Origin']);
  });

  it('with "*": Allow-Origin *, no Vary, no credentials even when configured', () => {
    const plugin = new CorsPlugin({ ...spec, allowOrigins: ['*'], exposeHeaders: [] });
    const req = new TestRequest({ headers: ['origin', 'https://x.example'] });
    plugin.onRequest(req);
    expect(respond(plugin, req, [])).toEqual(['access-control-allow-origin', '*']);
    const none = new TestRequest();
    plugin.onRequest(none);
    expect(none.responseHeaders).toBeNull();
    expect(respond(plugin, none, [])).toEqual([]);
  });

  it('decorates a reply made before its request phase ran, with Vary once', () => {
    const plugin = new CorsPlugin({ ...spec, allowCredentials: false, exposeHeaders: [] });
    const req = new TestRequest({ headers: ['origin', 'https://app.example.com'] });
    expect(respond(plugin, req, ['www-authenticate', 'Bearer realm="weir"'], 401)).toEqual([
      'www-authenticate', 'Bearer realm="weir"', 'vary', 'Origin', 'access-control-allow-origin', 'https://app.example.com',
    ]);
    expect(respond(plugin, req, ['Vary', 'Accept-Encoding, origin'])).toEqual(['Vary', 'Accept-Encoding, origin', 'access-control-allow-origin', 'https://app.example.com']);
  });
});
