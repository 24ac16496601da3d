import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { ConfigFile } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, type SeenRequest } from './harness/upstreams';

/**
 * The path routing matches is the path forwarded (issue 9, `server.paths`): encoded unreserved
 * characters, dot segments and duplicate slashes are normalised once, before routing, so no
 * route is bypassed by encoding; encoded slashes and paths above the root are refused.
 */
const daemons = daemonPerTest();

describe('request path policy through the daemon', () => {
  let origin: TestUpstream;
  /** One daemon with the default policy for the table (a daemon per row would take seconds each). */
  let shared: Daemon;
  let sharedFile: ConfigFile;

  beforeAll(async () => {
    origin = await TestUpstream.start('origin');
    sharedFile = new ConfigFile(config());
    shared = await Daemon.start({ configPath: sharedFile.path });
  });
  afterAll(async () => {
    await shared?.stop();
    sharedFile?.remove();
    await origin.close();
  });

  const config = (paths?: NonNullable<WeirConfig['server']>['paths']): WeirConfig => {
    const base = proxyConfig({
      workers: 1,
      routes: [
        { name: 'admin', match: { path: { prefix: '/admin/' } }, directResponse: { status: 403, body: 'admin' } },
        { name: 'public', upstream: 'origin' },
      ],
      upstreams: [upstream('origin', origin.address)],
    });
    return paths === undefined ? base : { ...base, server: { ...base.server, paths } };
  };

  const lastUrl = (): string => (origin.requests[origin.requests.length - 1] as SeenRequest).url;

  test.each([
    ['/public/../admin/x', 403],
    ['/%61dmin/x', 403],
    ['//admin/x', 403],
    ['/./admin/x', 403],
    ['/public/%2e%2e/admin/x', 403],
    ['/admin%2fx', 400],
    ['/admin%5Cx', 400],
    ['/../admin/x', 400],
    ['/a%zz', 400],
  ])('%s answers %i', async (path, status) => {
    expect((await send(shared.port, { path })).status).toBe(status);
  });

  test('the upstream receives the normalised path, the query untouched', async () => {
    const answer = await send(shared.port, { path: '/public/./a//b/%7Euser/%c3%A9?x=%2e%2e/..' });
    expect(answer.status).toBe(200);
    expect(lastUrl()).toBe('/public/a/b/~user/%C3%A9?x=%2e%2e/..');
  });

  test('escapedSlashes "keep" and mergeSlashes false forward those as sent', async () => {
    const daemon = await daemons.start(config({ mergeSlashes: false, escapedSlashes: 'keep' }));
    const answer = await send(daemon.port, { path: '/public//a%2fb' });
    expect(answer.status).toBe(200);
    expect(lastUrl()).toBe('/public//a%2Fb');
  });
});
