import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';

/**
 * `POST /admin/cache/purge` (issue 10) against the built daemon with 2 real workers: the purge
 * crosses the IPC channel to every worker and back (`weir:cache-purge` / `weir:cache-purged`),
 * the answer names both workers, and the call is audit-logged. Nothing was cached, so every
 * worker removes 0 entries.
 */
const writer = testToken('ci', ['read', 'write']);

function config(): WeirConfig {
  return {
    ...proxyConfig({
      routes: [
        { name: 'api', match: { path: { prefix: '/api/' } }, upstream: 'app', cache: {} },
        { name: 'hello', directResponse: { status: 200, body: 'hi' } },
      ],
      upstreams: [upstream('app', '127.0.0.1:9')],
    }),
    admin: { tokens: [writer.entry] },
  };
}

describe('cache purge end to end', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  test('reaches every worker and answers with each acknowledgement', async () => {
    expect.assertions(4);
    file = new ConfigFile(config());
    daemon = await Daemon.start({ configPath: file.path });
    const d = daemon;
    const answer = await adminCall(d, 'POST', '/admin/cache/purge', { token: writer.token, body: { route: 'api', prefix: 'http://127.0.0.1/api/' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      route: 'api',
      prefix: 'http://127.0.0.1/api/',
      purged: 0,
      workers: [
        { index: 0, pid: expect.any(Number), purged: 0 },
        { index: 1, pid: expect.any(Number), purged: 0 },
      ],
      exited: [],
    });
    const audit = await d.waitForLog((l) => l.msg === 'admin audit');
    expect(audit).toMatchObject({ action: 'purge-cache', principal: 'ci', route: 'api', outcome: 'purged', purged: 0 });
    const noCache = await adminCall(d, 'POST', '/admin/cache/purge', { token: writer.token, body: { route: 'hello', key: 'http://127.0.0.1/' } });
    expect([noCache.status, noCache.json.error.code]).toEqual([404, 'WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND']);
  });
});
