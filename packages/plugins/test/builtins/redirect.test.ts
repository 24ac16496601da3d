import type { PluginReply } from '../../src/index';
import { RedirectPlugin } from '../../src/builtins/index';
import { TestRequest } from '../support/test-request';

describe('redirect', () => {
  it('answers with a constant reply when the location has no placeholder', () => {
    const plugin = new RedirectPlugin({ type: 'redirect', location: 'https://example.org/', status: 301 });
    const a = plugin.onRequest(new TestRequest());
    expect(a).toEqual({ status: 301, headers: ['location', 'https://example.org/'], body: '', code: null });
    expect(plugin.onRequest(new TestRequest())).toBe(a);
  });

  it('fills {host} and {path} (with its query), every occurrence', () => {
    const plugin = new RedirectPlugin({ type: 'redirect', location: 'https://{host}{path}#{path}', status: 308 });
    const reply = plugin.onRequest(new TestRequest({ host: 'shop.example:8443', path: '/a/b?c=1' }));
    expect(reply).toEqual({ status: 308, headers: ['location', 'https://shop.example:8443/a/b?c=1#/a/b?c=1'], body: '', code: null });
  });

  it('keeps unknown braces as they are', () => {
    const plugin = new RedirectPlugin({ type: 'redirect', location: '/new{query}{path}', status: 302 });
    expect((plugin.onRequest(new TestRequest({ path: '/x' })) as PluginReply).headers).toEqual(['location', '/new{query}/x']);
  });

  it('never turns a path-only location into a protocol-relative one', () => {
    const plugin = new RedirectPlugin({ type: 'redirect', location: '{path}', status: 301 });
    expect((plugin.onRequest(new TestRequest({ path: '//evil.example/x' })) as PluginReply).headers).toEqual(['location', '/evil.example/x']);
    expect((plugin.onRequest(new TestRequest({ path: '/ok//x' })) as PluginReply).headers).toEqual(['location', '/ok//x']);
    const slash = new RedirectPlugin({ type: 'redirect', location: '/{path}', status: 301 });
    expect((slash.onRequest(new TestRequest({ path: '/x' })) as PluginReply).headers).toEqual(['location', '/x']);
    const relative = new RedirectPlugin({ type: 'redirect', location: '//cdn.example{path}', status: 302 });
    expect((relative.onRequest(new TestRequest({ path: '/x' })) as PluginReply).headers).toEqual(['location', '//cdn.example/x']);
  });
});
