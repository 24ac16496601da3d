import type { CachePurgeResult } from '../../src/admin-types';
import { runCli } from '../support/run-cli';
import { errorReply, StubAdminServer } from '../support/stub-admin-server';

const answer: CachePurgeResult = {
  route: 'api',
  prefix: 'http://shop.example.com/api/',
  purged: 7,
  workers: [
    { index: 0, pid: 4101, purged: 3 },
    { index: 1, pid: 4102, purged: 4 },
  ],
  exited: [],
};

describe('weirctl cache purge', () => {
  let stub: StubAdminServer;
  beforeEach(async () => {
    stub = await StubAdminServer.start();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('purges a prefix and prints what each worker removed', async () => {
    expect.assertions(3);
    stub.on('POST', '/admin/cache/purge', { status: 200, body: answer });
    const r = await runCli(['cache', 'purge', '--route', 'api', '--prefix', 'http://shop.example.com/api/', '--url', stub.url, '--token', 't']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('purged 7 entries of route "api" (prefix http://shop.example.com/api/); worker 0 (pid 4101): 3, worker 1 (pid 4102): 4\n');
    expect(stub.requests.map((q) => [q.method, q.path, q.json, q.headers['authorization']])).toEqual([
      ['POST', '/admin/cache/purge', { route: 'api', prefix: 'http://shop.example.com/api/' }, 'Bearer t'],
    ]);
  });

  it('purges a key, and prints the answer with --json', async () => {
    expect.assertions(3);
    const byKey = { ...answer, prefix: undefined, key: 'http://shop.example.com/api/a?b=1', purged: 1 };
    stub.on('POST', '/admin/cache/purge', { status: 200, body: byKey });
    const r = await runCli(['cache', 'purge', '--route', 'api', '--key', 'http://shop.example.com/api/a?b=1', '--json', '--url', stub.url, '--token', 't']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual(JSON.parse(JSON.stringify(byKey)));
    expect(stub.requests[0]?.json).toEqual({ route: 'api', key: 'http://shop.example.com/api/a?b=1' });
  });

  it.each([
    [['--route', 'api']],
    [['--route', 'api', '--key', 'http://x/', '--prefix', 'http://x/']],
    [['--key', 'http://x/']],
    [['--route', 'api', '--key', 'http://x/', 'extra']],
  ])('is a usage error (exit 2) for %j, sending nothing', async (args) => {
    expect.assertions(2);
    const r = await runCli(['cache', 'purge', ...args, '--url', stub.url, '--token', 't']);
    expect(r.code).toBe(2);
    expect(stub.requests).toEqual([]);
  });

  it('exits 8 with the code for a route without a cache and for a partial purge', async () => {
    expect.assertions(4);
    stub.on(
      'POST',
      '/admin/cache/purge',
      errorReply(404, 'WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND', 'route "hello" of the running config has no cache'),
      errorReply(504, 'WEIR_ERR_CACHE_PURGE_TIMEOUT', 'worker 1 (pid 4102) did not acknowledge the purge'),
    );
    const missing = await runCli(['cache', 'purge', '--route', 'hello', '--key', 'http://x/', '--url', stub.url, '--token', 't']);
    expect([missing.code, missing.stderr]).toEqual([8, expect.stringContaining('WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND')]);
    const partial = await runCli(['cache', 'purge', '--route', 'api', '--key', 'http://x/', '--url', stub.url, '--token', 't']);
    expect(partial.code).toBe(8);
    expect(partial.stderr).toContain('WEIR_ERR_CACHE_PURGE_TIMEOUT');
    expect(partial.stderr).toContain('pid 4102');
  });
});
