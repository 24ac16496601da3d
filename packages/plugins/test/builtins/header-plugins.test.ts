import { CONTINUE } from '../../src/index';
import { RequestHeadersPlugin, ResponseHeadersPlugin } from '../../src/builtins/index';
import { TestRequest, testResponse } from '../support/test-request';

const edits = { set: [{ name: 'X-Env', value: 'prod' }], add: [{ name: 'via-weir', value: '1' }], remove: ['x-secret', 'x-env-old'] };

describe('requestHeaders', () => {
  it('removes, then sets, then adds, case-insensitively', () => {
    const plugin = new RequestHeadersPlugin(edits);
    const req = new TestRequest({ headers: ['X-Secret', 's', 'x-env', 'dev', 'Accept', '*/*', 'X-ENV', 'test', 'x-secret', 't', 'via-weir', '0'] });
    expect(plugin.onRequest(req)).toBe(CONTINUE);
    expect(req.headers).toEqual(['x-env', 'prod', 'Accept', '*/*', 'via-weir', '0', 'via-weir', '1']);
    expect((plugin as { onResponse?: unknown }).onResponse).toBeUndefined();
  });
});

describe('responseHeaders', () => {
  it('edits the response headers in the response phase only (upstream responses and replies alike)', () => {
    const plugin = new ResponseHeadersPlugin({ set: [{ name: 'cache-control', value: 'no-store' }], add: [], remove: ['server'] });
    expect((plugin as { onRequest?: unknown }).onRequest).toBeUndefined();
    const res = testResponse(200, ['Server', 'upstream', 'Cache-Control', 'max-age=60', 'content-type', 'text/plain']);
    plugin.onResponse(new TestRequest(), res);
    expect(res.headers).toEqual(['cache-control', 'no-store', 'content-type', 'text/plain']);
    const reply = testResponse(401, ['www-authenticate', 'Bearer realm="weir"']);
    plugin.onResponse(new TestRequest(), reply);
    expect(reply.headers).toEqual(['www-authenticate', 'Bearer realm="weir"', 'cache-control', 'no-store']);
  });
});
