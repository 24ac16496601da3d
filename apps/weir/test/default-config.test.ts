import { execFile } from 'node:child_process';
import { validateConfig, type WeirConfig } from '@weir/config';
import { DEFAULT_CONFIG, WELCOME_TEXT } from '../src/default-config';
import { DAEMON_MAIN, Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { send } from './harness/client';

/**
 * The command line and the embedded default config. Starting with no arguments would bind
 * 127.0.0.1:8080, which another process on a shared machine may hold, so the default config is
 * checked three robust ways instead: the daemon's own `--check` without `--config` accepts it,
 * the module validates with @weir/config and listens on 127.0.0.1:8080 with a welcome route, and
 * the very same config (its port swapped for 0) is served end to end.
 */

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node dist/main.js ...args` to completion. */
function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DAEMON_MAIN, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('command line', () => {
  const files: ConfigFile[] = [];
  afterAll(() => {
    for (const file of files) file.remove();
  });

  test('--help exits 0 and documents --config, --workers and --check', async () => {
    expect.assertions(4);
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--config/);
    expect(run.stdout).toMatch(/--workers/);
    expect(run.stdout).toMatch(/--check/);
  });

  test('--check on a config that breaks the schema exits 1 and prints the JSON pointer', async () => {
    expect.assertions(3);
    const file = new ConfigFile(JSON.stringify({ listeners: [{ name: 'main', port: 70000 }], routes: [] }));
    files.push(file);
    const run = await runCli(['--check', '--config', file.path]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/WEIR_ERR_CONFIG_INVALID/);
    expect(run.stdout + run.stderr).toMatch(/\/listeners\/0\/port/);
  });

  test('--check on a config naming an unknown upstream exits 1 and prints the JSON pointer', async () => {
    expect.assertions(2);
    const file = new ConfigFile(proxyConfig({ routes: [{ name: 'r', upstream: 'missing' }] }));
    files.push(file);
    const run = await runCli(['--check', '--config', file.path]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/\/routes\/0\/upstream/);
  });

  test('--check on a file that is not JSON exits 1 with WEIR_ERR_CONFIG_PARSE', async () => {
    expect.assertions(2);
    const file = new ConfigFile('{ not json');
    files.push(file);
    const run = await runCli(['--check', '--config', file.path]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/WEIR_ERR_CONFIG_PARSE/);
  });

  test('an unknown flag is a usage error (exit 2)', async () => {
    expect.assertions(1);
    expect((await runCli(['--no-such-flag'])).code).toBe(2);
  });
});

describe('embedded default config', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  afterAll(async () => {
    if (daemon) await daemon.stop();
    file?.remove();
  });

  test('--check without --config accepts the embedded default', async () => {
    expect.assertions(2);
    const run = await runCli(['--check']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK /);
  });

  test('is a valid config with a loopback listener on 8080 and a welcome route', () => {
    expect.assertions(4);
    const check = validateConfig(JSON.parse(JSON.stringify(DEFAULT_CONFIG)));
    expect(check.ok).toBe(true);
    expect(DEFAULT_CONFIG.listeners).toEqual([expect.objectContaining({ address: '127.0.0.1', port: 8080 })]);
    expect(DEFAULT_CONFIG.routes).toEqual([expect.objectContaining({ directResponse: expect.objectContaining({ status: 200 }) })]);
    expect(WELCOME_TEXT).toMatch(/--config/);
  });

  test('is served end to end (port swapped for 0, --workers 1 overriding "auto")', async () => {
    expect.assertions(4);
    const listeners = DEFAULT_CONFIG.listeners.map((listener) => ({ ...listener, port: 0 }));
    const config: WeirConfig = { ...DEFAULT_CONFIG, listeners };
    file = new ConfigFile(config);
    daemon = await Daemon.start({ configPath: file.path, args: ['--workers', '1'] });
    expect(daemon.ready).toMatchObject({ workers: 1 });
    const response = await send(daemon.port, { path: '/any/path', headers: { host: 'localhost:8080' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe(WELCOME_TEXT);
  });
});
