import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runCli, type CliResult } from './support/run-cli';
import { startWeir, testToken, weirConfig, type TestToken, type WeirUnderTest } from './support/weir-daemon';

/**
 * weirctl against the real built daemon (apps/weir/dist, `npx tsc -b` first): every config
 * command, and the exit codes of the answers a real admin API gives (invalid 1, conflict 4,
 * unauthorized and forbidden 5, unreachable 6, unknown version 8). One daemon serves the whole
 * file; the tests run in order and each leaves the running config as it found it or says so.
 */
const writer = testToken('ci', ['read', 'write']);
const reader = testToken('dash', ['read']);
const cliMain = path.resolve(__dirname, '..', 'dist', 'main.js');

describe('weirctl against the daemon', () => {
  let weir: WeirUnderTest;
  let startVersion: string;
  /** A token made by `weirctl token create`, its entry in the daemon's config. */
  let viewer: { token: string; entry: TestToken['entry'] };
  let tokens: TestToken['entry'][];
  const config = (body = 'one'): ReturnType<typeof weirConfig> => weirConfig({ tokens, body });
  const file = (name: string, content: unknown): string => {
    const p = path.join(weir.file.dir, name);
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return p;
  };
  const as = (token: string, ...argv: string[]): Promise<CliResult> => runCli(argv, { env: { WEIR_ADMIN_URL: weir.url, WEIR_TOKEN: token } });

  beforeAll(async () => {
    viewer = (await runCli(['token', 'create', '--name', 'viewer', '--scopes', 'read', '--json'])).json;
    tokens = [writer.entry, reader.entry, viewer.entry];
    weir = await startWeir({ tokens });
    startVersion = weir.daemon.version as string;
  }, 60_000);
  afterAll(async () => {
    await weir?.stop();
  });

  it('get prints the running config and, with --etag, its version', async () => {
    expect.assertions(4);
    const r = await as(reader.token, 'get', '--etag');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(config());
    expect(r.stderr.trim()).toBe(startVersion);
    const json = await as(reader.token, 'get', '--etag', '--json');
    expect(json.json).toEqual({ version: startVersion, config: config() });
  });

  it('diff prints "no changes", the summary of a change, or exits 1 on an invalid config', async () => {
    expect.assertions(6);
    expect(await as(reader.token, 'diff', weir.file.path)).toMatchObject({ code: 0, stdout: 'no changes\n' });
    const changed = await as(reader.token, 'diff', file('two.json', config('two')));
    expect(changed).toMatchObject({ code: 0, stdout: '~ route "hello": directResponse\n' });
    const json = await as(reader.token, 'diff', file('two.json', config('two')), '--json');
    expect(json.json).toMatchObject({ valid: true, changed: true, runningVersion: startVersion });
    const invalid = await as(reader.token, 'diff', file('bad.json', { listeners: [{ name: 'l', port: 70000 }], routes: [] }));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('WEIR_ERR_CONFIG_INVALID');
    expect(invalid.stderr).toContain('/listeners/0/port');
  });

  it('apply applies (0), reports unchanged (0), refuses an invalid config (1) and a stale --if-match (4)', async () => {
    expect.assertions(8);
    const two = file('two.json', config('two'));
    const applied = await as(writer.token, 'apply', two, '--if-match', startVersion);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`^applied v-[0-9a-f]+ \\(was ${startVersion}\\) in \\d+ ms\\n$`));
    const again = await as(writer.token, 'apply', two, '--json');
    expect([again.code, again.json.changed]).toEqual([0, false]);
    const parse = await as(writer.token, 'apply', file('broken.json', '{"routes": ['));
    expect([parse.code, parse.stderr]).toEqual([1, expect.stringContaining('WEIR_ERR_CONFIG_PARSE')]);
    const invalid = await as(writer.token, 'apply', file('bad.json', { ...config(), routes: [{ name: 'r', upstream: 'missing' }] }), '--json');
    expect([invalid.code, invalid.json.error.code]).toEqual([1, 'WEIR_ERR_CONFIG_INVALID']);
    const stale = await as(writer.token, 'apply', file('three.json', config('three')), '--if-match', startVersion, '--json');
    expect(stale.code).toBe(4);
    expect(stale.json.error).toMatchObject({ code: 'WEIR_ERR_ADMIN_PRECONDITION_FAILED', status: 412 });
    expect((await as(reader.token, 'get', '--etag', '--json')).json.version).toBe(again.json.version);
  });

  it('versions lists the history, newest first, with the running one marked', async () => {
    expect.assertions(4);
    const r = await as(reader.token, 'versions');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {3}ID +VERSION +SOURCE +PRINCIPAL +COMMITTED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['*', expect.any(String), expect.stringMatching(/^v-/), 'admin', 'ci'],
      ['', expect.any(String), startVersion, 'file', '-'],
    ]);
    expect((await as(reader.token, 'versions', '--json')).json.versions).toHaveLength(2);
  });

  it('rollback returns to a kept version (0); an unknown one is exit 8', async () => {
    expect.assertions(4);
    const versions = (await as(reader.token, 'versions', '--json')).json.versions as { id: string; version: string }[];
    const first = versions[versions.length - 1] as { id: string; version: string };
    const back = await as(writer.token, 'rollback', '--id', first.id);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(new RegExp(`^rolled back to ${startVersion} \\(was v-[0-9a-f]+\\) in \\d+ ms \\(history id ${first.id}\\)\\n$`));
    const unknown = await as(writer.token, 'rollback', '--version', 'v-000000000000', '--json');
    expect([unknown.code, unknown.json.error.code]).toEqual([8, 'WEIR_ERR_ADMIN_VERSION_NOT_FOUND']);
    expect((await as(reader.token, 'get', '--etag', '--json')).json.version).toBe(startVersion);
  });

  it('status summarises the primary, the config, the last apply and the workers', async () => {
    expect.assertions(5);
    const r = await as(reader.token, 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^config +${startVersion} \\(source rollback, principal ci\\)$`, 'm'));
    expect(r.stdout).toMatch(/^last apply +applied .* from rollback by ci at /m);
    expect(r.stdout).toMatch(/^ {2}0 +\d+ +ready +v-/m);
    const json = await as(reader.token, 'status', '--json');
    expect(json.json).toMatchObject({ status: { workers: [expect.objectContaining({ index: 0, state: 'ready' })] }, rollout: null });
  });

  it('a token from "weirctl token create" is accepted with its scopes', async () => {
    expect.assertions(2);
    expect((await as(viewer.token, 'versions')).code).toBe(0);
    expect((await as(viewer.token, 'rollback', '--id', '1')).code).toBe(5);
  });

  it('a wrong token is exit 5 (401), a read-only token applying is exit 5 (403)', async () => {
    expect.assertions(4);
    const wrong = await as('weir_not-a-real-token', 'status', '--json');
    expect([wrong.code, wrong.json.error.code]).toEqual([5, 'WEIR_ERR_ADMIN_UNAUTHORIZED']);
    const forbidden = await as(reader.token, 'apply', weir.file.path);
    expect(forbidden.code).toBe(5);
    expect(forbidden.stderr).toContain('WEIR_ERR_ADMIN_FORBIDDEN');
    expect(forbidden.stderr).toContain('scope');
  });

  it('the built binary exits with the command\'s code, reading the token from a file', async () => {
    expect.assertions(2);
    const tokenFile = file('token', `${reader.token}\n`);
    const run = (args: string[]): Promise<{ code: number; stdout: string }> =>
      new Promise((resolve) => {
        execFile(process.execPath, [cliMain, ...args], { env: { PATH: process.env['PATH'] ?? '', WEIR_ADMIN_URL: weir.url, WEIR_TOKEN_FILE: tokenFile }, timeout: 20_000 }, (err, stdout) => {
          resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? -1), stdout });
        });
      });
    expect((await run(['diff', weir.file.path])).stdout).toBe('no changes\n');
    expect((await run(['apply', weir.file.path])).code).toBe(5);
  });
});

describe('weirctl without a daemon', () => {
  it('exits 6 when nothing listens at the admin URL', async () => {
    expect.assertions(3);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const r = await runCli(['status', '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('WEIRCTL_ERR_UNREACHABLE');
    const json = await runCli(['get', '--json', '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect([json.code, json.json.error.code]).toEqual([6, 'WEIRCTL_ERR_UNREACHABLE']);
  });
});
