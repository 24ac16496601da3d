import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';

/**
 * The admin API against the built daemon with 2 real workers: apply changes what the workers
 * serve, the ETag follows the version, history and rollback come from the real state
 * directory, status shows both workers, metrics are aggregated, and a daemon started without
 * tokens makes its own admin token.
 */
const writer = testToken('ci', ['read', 'write']);
const reader = testToken('dash', ['read']);

function configFor(body: string): WeirConfig {
  return { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body } }] }), admin: { tokens: [writer.entry, reader.entry] } };
}

describe('admin API end to end', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  test('apply, ETag, history, rollback, status and metrics', async () => {
    expect.assertions(14);
    file = new ConfigFile(configFor('one'));
    daemon = await Daemon.start({ configPath: file.path });
    const d = daemon;

    expect(await adminCall(d, 'GET', '/admin/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    const running = await adminCall(d, 'GET', '/admin/config', { token: reader.token });
    expect(running.headers.etag).toBe(`"${d.version}"`);

    const applied = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('two'), headers: { 'if-match': running.headers.etag } });
    expect(applied).toMatchObject({ status: 200, json: { changed: true, previousVersion: d.version } });
    expect((await send(d.port)).body).toBe('two');
    const audit = await d.waitForLog((l) => l.msg === 'admin audit');
    expect(audit).toMatchObject({ principal: 'ci', source: 'admin', oldVersion: d.version, newVersion: applied.json.version, outcome: 'applied' });

    // The file still says "one": a stale If-Match is refused and nothing changes.
    const stale = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('three'), headers: { 'if-match': running.headers.etag } });
    expect([stale.status, stale.json.error.code]).toEqual([412, 'WEIR_ERR_ADMIN_PRECONDITION_FAILED']);

    const versions = await adminCall(d, 'GET', '/admin/config/versions', { token: reader.token });
    expect(versions.json.versions.map((v: { source: string; principal: string | null }) => [v.source, v.principal])).toEqual([
      ['admin', 'ci'],
      ['file', null],
    ]);
    const back = await adminCall(d, 'POST', '/admin/config/rollback', { token: writer.token, body: { id: versions.json.versions[1].id } });
    expect(back.json).toMatchObject({ changed: true, version: d.version });
    expect((await send(d.port)).body).toBe('one');

    const status = await adminCall(d, 'GET', '/admin/status', { token: reader.token });
    expect(status.json.workers).toEqual([
      expect.objectContaining({ index: 0, state: 'ready', version: d.version, inFlight: expect.any(Number) }),
      expect.objectContaining({ index: 1, state: 'ready', version: d.version, inFlight: expect.any(Number) }),
    ]);
    expect(status.json.lastApply).toMatchObject({ source: 'rollback', principal: 'ci', outcome: 'applied' });

    const metrics = await adminCall(d, 'GET', '/metrics', { token: reader.token });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^weir_/m);
    expect((await adminCall(d, 'GET', '/metrics')).status).toBe(401);
  }, 60_000);

  test('without configured tokens, the first start generates an admin token and keeps it across restarts', async () => {
    expect.assertions(7);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-admin-state-'));
    file = new ConfigFile(proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'x' } }], workers: 1 }));
    try {
      daemon = await Daemon.start({ configPath: file.path, stateDir });
      const generated = daemon.logs.find((l) => l.msg === 'admin token generated');
      const token = fs.readFileSync(path.join(stateDir, 'admin-token'), 'utf8').trim();
      expect(generated?.['token']).toBe(token);
      expect(fs.statSync(path.join(stateDir, 'admin-token')).mode & 0o777).toBe(0o600);
      expect((await adminCall(daemon, 'GET', '/admin/config', { token })).status).toBe(200);
      expect((await adminCall(daemon, 'GET', '/admin/config')).status).toBe(401);
      await daemon.stop();

      daemon = await Daemon.start({ configPath: file.path, stateDir });
      expect(daemon.logs.some((l) => l.msg === 'admin token generated')).toBe(false);
      expect(daemon.logs.some((l) => l.msg === 'admin token from the state directory')).toBe(true);
      expect((await adminCall(daemon, 'GET', '/admin/status', { token })).status).toBe(200);
    } finally {
      await daemon?.stop();
      daemon = null;
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 60_000);

  test('an admin address that cannot be bound stops the start with exit status 1', async () => {
    expect.assertions(2);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve()));
    const taken = (blocker.address() as net.AddressInfo).port;
    file = new ConfigFile(configFor('x'));
    try {
      daemon = await Daemon.start({ configPath: file.path, waitForReady: false, env: { WEIR_ADMIN_LISTEN: `127.0.0.1:${taken}` } });
      expect(await daemon.waitForExit(30_000)).toEqual({ code: 1, signal: null });
      expect(daemon.logs.find((l) => l.level === 'fatal')).toMatchObject({ msg: 'cannot start: the admin API cannot listen', code: 'WEIR_ERR_LISTEN' });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);
});
