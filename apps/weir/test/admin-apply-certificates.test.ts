import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { makeCertificates } from '../../../tools/certs/make-certs';
import { adminCall, testToken } from './harness/admin-client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { DAEMON_MAIN, Daemon } from './harness/daemon';

/**
 * Certificate files through the daemon (issue 8). An apply whose key does not match its
 * certificate is refused by the admin API with 400 and the pointer of `keyFile` (the validate
 * endpoint says the same), and the running version stays. A renewed certificate written over
 * the same paths becomes a new version on SIGHUP, although the config file did not change.
 * `weir --check` reads and checks the files too. The certificates are not served by a listener
 * here: this is the config side only.
 */
const writer = testToken('ci', ['read', 'write']);

describe('daemon: certificate files', () => {
  let dir: string;
  let files: ReturnType<typeof makeCertificates>;
  let live: { cert: string; key: string };
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-e2e-certs-'));
    files = makeCertificates(dir, [
      { name: 'site', names: ['example.com'] },
      { name: 'renewed', names: ['example.com'], days: 90 },
      { name: 'other', names: ['other.example'] },
      { name: 'old', names: ['example.com'], expired: true },
    ]);
    fs.mkdirSync(path.join(dir, 'live'));
    live = { cert: path.join(dir, 'live', 'fullchain.pem'), key: path.join(dir, 'live', 'privkey.pem') };
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  /** certbot's renewal, in effect: new files at the same paths. */
  function install(name: string): void {
    fs.copyFileSync(files[name]!.cert, live.cert);
    fs.copyFileSync(files[name]!.key, live.key);
  }

  function config(certFile: string, keyFile: string): WeirConfig {
    return {
      ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }] }),
      certificates: [{ name: 'site', certFile, keyFile }],
      admin: { tokens: [writer.entry] },
    };
  }

  test('an apply with a key that does not match is 400 at /certificates/0/keyFile, and nothing changes', async () => {
    expect.assertions(6);
    install('site');
    file = new ConfigFile(config(live.cert, live.key));
    daemon = await Daemon.start({ configPath: file.path });
    const d = daemon;
    const mismatched = config(live.cert, files['other']!.key);

    const answer = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: mismatched });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({
      code: 'WEIR_ERR_CONFIG_INVALID',
      pointer: '/certificates/0/keyFile',
      details: [{ pointer: '/certificates/0/keyFile', message: expect.stringContaining('does not belong to the certificate') }],
    });
    const validated = await adminCall(d, 'POST', '/admin/config/validate', { token: writer.token, body: mismatched });
    expect(validated.status).toBe(400);
    expect(validated.json.error.pointer).toBe('/certificates/0/keyFile');

    const status = await adminCall(d, 'GET', '/admin/status', { token: writer.token });
    expect(status.json.workers.map((w: { version: string }) => w.version)).toEqual([d.version, d.version]);
    expect((await adminCall(d, 'GET', '/admin/config', { token: writer.token })).headers.etag).toBe(`"${d.version}"`);
  }, 60_000);

  test('SIGHUP after a renewal at the same paths applies a new version; without one it is a no-op', async () => {
    expect.assertions(3);
    install('site');
    file = new ConfigFile(config(live.cert, live.key));
    daemon = await Daemon.start({ configPath: file.path, args: ['--no-watch'] });
    const d = daemon;
    const first = d.version;

    const unchanged = d.nextLog((line) => line.msg === 'config unchanged' || line.msg === 'config applied' || line.msg === 'config rejected', 15_000);
    d.signal('SIGHUP');
    expect(await unchanged).toMatchObject({ msg: 'config unchanged', version: first });

    install('renewed');
    const applied = d.nextLog((line) => line.msg === 'config unchanged' || line.msg === 'config applied' || line.msg === 'config rejected', 15_000);
    d.signal('SIGHUP');
    const line = await applied;
    expect(line).toMatchObject({ msg: 'config applied', source: 'file' });
    expect(line['version']).not.toBe(first);
  }, 60_000);

  test('weir --check reads the certificate files: an expired one fails with its pointer and date', () => {
    file = new ConfigFile(config(files['old']!.cert, files['old']!.key));
    const expired = spawnSync(process.execPath, [DAEMON_MAIN, '--check', '--config', file.path], { encoding: 'utf8', timeout: 20_000 });
    expect(expired.status).toBe(1);
    expect(expired.stderr).toContain('/certificates/0/certFile: the certificate expired on 2020-01-02');
    file.write(config(files['site']!.cert, files['site']!.key));
    const valid = spawnSync(process.execPath, [DAEMON_MAIN, '--check', '--config', file.path], { encoding: 'utf8', timeout: 20_000 });
    expect(valid.status).toBe(0);
  });
});
