import { createHash } from 'node:crypto';
import { CONTINUE } from '../../src/index';
import { ApiKeyPlugin, queryParameter } from '../../src/builtins/index';
import { TestRequest } from '../support/test-request';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const UNAUTHORIZED = { status: 401, body: '', code: 'WEIR_ERR_UNAUTHORIZED', headers: ['www-authenticate', 'ApiKey realm="weir"'] };

const spec = {
  type: 'apiKey' as const,
  header: 'x-api-key',
  query: null,
  keys: [
    { name: 'ci', sha256: sha256('key-one') },
    { name: 'partner', sha256: sha256('key-two').toUpperCase() },
  ],
  nameHeader: 'x-consumer',
};

describe('apiKey', () => {
  it('accepts a known key from the header, sets the principal and the name header (replacing a spoofed one)', () => {
    const plugin = new ApiKeyPlugin(spec);
    const req = new TestRequest({ headers: ['X-Api-Key', 'key-two', 'x-consumer', 'admin'] });
    expect(plugin.onRequest(req)).toBe(CONTINUE);
    expect(req.principal).toBe('partner');
    expect(req.headers).toEqual(['X-Api-Key', 'key-two', 'x-consumer', 'partner']);
  });

  it('refuses missing, empty and unknown keys with 401 and a challenge, never echoing the key', () => {
    const plugin = new ApiKeyPlugin(spec);
    expect(plugin.onRequest(new TestRequest())).toEqual(UNAUTHORIZED);
    expect(plugin.onRequest(new TestRequest({ headers: ['x-api-key', ''] }))).toEqual(UNAUTHORIZED);
    const wrong = new TestRequest({ headers: ['x-api-key', 'key-three'] });
    const reply = plugin.onRequest(wrong);
    expect(reply).toEqual(UNAUTHORIZED);
    expect(JSON.stringify(reply)).not.toContain('key-three');
    expect(wrong.principal).toBeNull();
  });

  it('reads the query parameter when configured and the header is absent (the header wins)', () => {
    const plugin = new ApiKeyPlugin({ ...spec, query: 'api_key', nameHeader: null });
    const req = new TestRequest({ path: '/x?a=1&api_key=key-one&b=2' });
    expect(plugin.onRequest(req)).toBe(CONTINUE);
    expect(req.principal).toBe('ci');
    expect(req.headers).toEqual([]);
    const both = new TestRequest({ path: '/x?api_key=key-one', headers: ['x-api-key', 'bad'] });
    expect(plugin.onRequest(both)).toEqual(UNAUTHORIZED);
    expect(new ApiKeyPlugin(spec).onRequest(new TestRequest({ path: '/x?api_key=key-one' }))).toEqual(UNAUTHORIZED);
  });

  it('decodes query values as forms do', () => {
    expect(queryParameter('/p?k=a%2Bb&x', 'k')).toBe('a+b');
    expect(queryParameter('/p?k=a+b', 'k')).toBe('a b');
    expect(queryParameter('/p?kk=1&k=2', 'k')).toBe('2');
    expect(queryParameter('/p?k=1&k=2', 'k')).toBe('1');
    expect(queryParameter('/p?k=%E0%A4%A', 'k')).toBeNull();
    expect(queryParameter('/p?k', 'k')).toBeNull();
    expect(queryParameter('/p?k=', 'k')).toBe('');
    expect(queryParameter('/p', 'k')).toBeNull();
    expect(queryParameter('/p?&', 'k')).toBeNull();
  });
});
