import { isWeirError } from '@weir/errors';
import { CONTINUE, type PluginOutcome } from '../../src/index';
import { BASIC_AUTH_CACHE_SIZE, BasicAuthPlugin, BoundedCache, parseBasicCredentials, parseScryptHash, verifyScrypt } from '../../src/builtins/index';
import * as scryptModule from '../../src/builtins/scrypt-hash';
import { basic, isPromise, scryptPhc, TestRequest } from '../support/test-request';

const alicePhc = scryptPhc('wonder land');
const bobPhc = scryptPhc('caf\u00e9:1');
const spec = {
  type: 'basicAuth' as const,
  realm: 'ops "area"',
  users: [
    { name: 'alice', passwordHash: alicePhc },
    { name: 'bob', passwordHash: bobPhc },
  ],
  userHeader: 'x-user',
};
const UNAUTHORIZED = {
  status: 401,
  body: '',
  code: 'WEIR_ERR_UNAUTHORIZED',
  headers: ['www-authenticate', 'Basic realm="ops \\"area\\"", charset="UTF-8"'],
};

const run = (plugin: BasicAuthPlugin, req: TestRequest): PluginOutcome | Promise<PluginOutcome> => plugin.onRequest(req);

afterEach(() => {
  jest.restoreAllMocks();
});

describe('basicAuth', () => {
  it('accepts valid credentials asynchronously, sets the principal and the user header', async () => {
    expect.assertions(4);
    const plugin = new BasicAuthPlugin(spec);
    const req = new TestRequest({ headers: ['Authorization', basic('alice', 'wonder land'), 'x-user', 'root'] });
    const outcome = run(plugin, req);
    expect(isPromise(outcome)).toBe(true);
    expect(await outcome).toBe(CONTINUE);
    expect(req.principal).toBe('alice');
    expect(req.headers).toEqual(['Authorization', basic('alice', 'wonder land'), 'x-user', 'alice']);
  });

  it('takes the password after the first colon, as UTF-8 bytes', async () => {
    expect.assertions(2);
    const plugin = new BasicAuthPlugin(spec);
    const req = new TestRequest({ headers: ['authorization', basic('bob', 'caf\u00e9:1')] });
    expect(await run(plugin, req)).toBe(CONTINUE);
    expect(req.principal).toBe('bob');
  });

  it('answers a remembered success synchronously, paying scrypt once', async () => {
    expect.assertions(4);
    const plugin = new BasicAuthPlugin(spec);
    const verify = jest.spyOn(scryptModule, 'verifyScrypt');
    const header = basic('alice', 'wonder land');
    expect(await run(plugin, new TestRequest({ headers: ['authorization', header] }))).toBe(CONTINUE);
    const again = new TestRequest({ headers: ['authorization', header] });
    expect(run(plugin, again)).toBe(CONTINUE);
    expect(again.principal).toBe('alice');
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('shares one scrypt computation between concurrent requests with the same credentials', async () => {
    expect.assertions(2);
    const plugin = new BasicAuthPlugin(spec);
    const verify = jest.spyOn(scryptModule, 'verifyScrypt');
    const header = basic('alice', 'wonder land');
    const outcomes = await Promise.all([1, 2, 3].map(() => run(plugin, new TestRequest({ headers: ['authorization', header] }))));
    expect(outcomes).toEqual([CONTINUE, CONTINUE, CONTINUE]);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a wrong password and an unknown user (checked against a decoy), and does not remember failures', async () => {
    expect.assertions(6);
    const plugin = new BasicAuthPlugin(spec);
    const verify = jest.spyOn(scryptModule, 'verifyScrypt');
    const wrong = new TestRequest({ headers: ['authorization', basic('alice', 'wrong')] });
    expect(await run(plugin, wrong)).toEqual(UNAUTHORIZED);
    expect(wrong.principal).toBeNull();
    expect(await run(plugin, new TestRequest({ headers: ['authorization', basic('mallory', 'wonder land')] }))).toEqual(UNAUTHORIZED);
    expect(await run(plugin, new TestRequest({ headers: ['authorization', basic('alice', 'wrong')] }))).toEqual(UNAUTHORIZED);
    expect(verify).toHaveBeenCalledTimes(3);
    expect(JSON.stringify(await run(plugin, new TestRequest({ headers: ['authorization', basic('alice', 'secret-guess')] })))).not.toContain('secret-guess');
  });

  it.each([
    ['no header', []],
    ['another scheme', ['authorization', 'Bearer abc']],
    ['not base64', ['authorization', 'Basic !!!']],
    ['no colon', ['authorization', `Basic ${Buffer.from('alice').toString('base64')}`]],
  ])('refuses synchronously: %s', (_name, headers) => {
    const plugin = new BasicAuthPlugin(spec);
    expect(run(plugin, new TestRequest({ headers: headers as string[] }))).toEqual(UNAUTHORIZED);
  });

  it('refuses everything without users', () => {
    const plugin = new BasicAuthPlugin({ ...spec, users: [] });
    expect(run(plugin, new TestRequest({ headers: ['authorization', basic('a', 'b')] }))).toEqual(UNAUTHORIZED);
  });

  it('accepts the scheme in any case', () => {
    expect(parseBasicCredentials(`bAsIc ${Buffer.from('u:p').toString('base64')}`)?.user).toBe('u');
    expect(parseBasicCredentials('Basic')).toBeNull();
  });

  it('rejects the request (500, not 401) when scrypt itself fails', async () => {
    expect.assertions(1);
    const plugin = new BasicAuthPlugin(spec);
    jest.spyOn(scryptModule, 'verifyScrypt').mockRejectedValue(new Error('thread pool'));
    await expect(run(plugin, new TestRequest({ headers: ['authorization', basic('alice', 'x')] }))).rejects.toThrow('thread pool');
  });

  it('throws WEIR_ERR_CONFIG_INVALID at build time for a malformed hash', () => {
    expect.assertions(1);
    try {
      new BasicAuthPlugin({ ...spec, users: [{ name: 'x', passwordHash: 'plain-text' }] });
    } catch (err) {
      expect(isWeirError(err) && err.code).toBe('WEIR_ERR_CONFIG_INVALID');
    }
  });
});

describe('scrypt PHC strings', () => {
  it('verifies at the cost weirctl writes (ln=14)', async () => {
    expect.assertions(2);
    const hash = parseScryptHash(scryptPhc('pw', 14));
    expect(await verifyScrypt(Buffer.from('pw'), hash)).toBe(true);
    expect(await verifyScrypt(Buffer.from('pW'), hash)).toBe(false);
  });

  it.each([
    ['$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'],
    ['$scrypt$ln=21,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['$scrypt$ln=14,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
    ['$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA'],
    ['$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0$aGFz aGhhc2g'],
  ])('refuses %s', (phc) => {
    expect(() => parseScryptHash(phc)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID' }));
  });

  it('keeps the remembered successes bounded', () => {
    expect(BASIC_AUTH_CACHE_SIZE).toBe(1024);
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
    cache.set('c', 4);
    expect(cache.size).toBe(2);
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
