import * as net from 'node:net';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';

/**
 * A config that the workers reject in prepare (a second listener on a port another process
 * holds, so opening it fails with EADDRINUSE) is answered 422 WEIR_ERR_APPLY_REJECTED with the
 * worker's reason, and every worker stays on the old version and keeps serving it.
 */
const writer = testToken('ci', ['read', 'write']);

describe('admin API: a config the workers reject', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let blocker: net.Server | null = null;

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
    await new Promise<void>((resolve) => (blocker === null ? resolve() : blocker.close(() => resolve())));
    blocker = null;
  });

  test('is answered 422 with the reason, and leaves every worker on the old version', async () => {
    expect.assertions(6);
    const base: WeirConfig = { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'old' } }] }), admin: { tokens: [writer.entry] } };
    file = new ConfigFile(base);
    daemon = await Daemon.start({ configPath: file.path });
    const d = daemon;
    const server = net.createServer();
    blocker = server;
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve()));
    const taken = (server.address() as net.AddressInfo).port;

    const clash: WeirConfig = {
      ...base,
      listeners: [...base.listeners, { name: 'taken', address: '127.0.0.1', port: taken }],
      routes: [{ name: 'hello', directResponse: { status: 200, body: 'new' } }],
    };
    const answer = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: clash });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED', message: expect.stringContaining('WEIR_ERR_LISTEN') });

    const status = await adminCall(d, 'GET', '/admin/status', { token: writer.token });
    expect(status.json.workers.map((w: { version: string; state: string }) => [w.state, w.version])).toEqual([
      ['ready', d.version],
      ['ready', d.version],
    ]);
    expect(status.json.lastApply).toMatchObject({ outcome: 'rejected', source: 'admin', error: { code: 'WEIR_ERR_APPLY_REJECTED' } });
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add((await send(d.port, { path: `/${i}` })).body);
    expect([...bodies]).toEqual(['old']);
    expect((await adminCall(d, 'GET', '/admin/config', { token: writer.token })).headers.etag).toBe(`"${d.version}"`);
  }, 60_000);
});
