import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { DAEMON_MAIN, Daemon } from './harness/daemon';

/**
 * Smoke test of the built daemon: a primary with 2 workers starts from a config file, reports
 * `weir ready` with the bound port, serves a direct response, and drains to exit 0 on SIGTERM.
 * Also the CLI paths that do not start a daemon (--check, --help).
 */
const BODY = 'weir smoke test\n';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/anything', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function runCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [DAEMON_MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('weir daemon (smoke)', () => {
  let dir: string;
  let daemon: Daemon | null = null;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-smoke-'));
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(name: string, config: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  it('starts 2 workers, serves a direct response and drains on SIGTERM', async () => {
    expect.assertions(7);
    const configPath = writeConfig('smoke.json', {
      workers: 2,
      server: { drainTimeoutMs: 5_000 },
      listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
      routes: [{ name: 'hello', directResponse: { status: 200, body: BODY } }],
    });
    const d = await Daemon.start({ configPath });
    daemon = d;
    expect(d.ready).toMatchObject({ workers: 2, version: expect.stringMatching(/^v-/), listeners: [{ name: 'main', address: '127.0.0.1' }] });
    expect(d.port).toBeGreaterThan(0);
    expect(d.logs.filter((l) => l.msg === 'worker ready').map((l) => l['version'])).toEqual([d.version, d.version]);

    await expect(get(d.port)).resolves.toEqual({ status: 200, body: BODY });

    d.signal('SIGTERM');
    await expect(d.waitForExit(20_000)).resolves.toEqual({ code: 0, signal: null });
    const messages = d.logs.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['weir starting', 'config applied', 'draining', 'stopped']));
    expect(messages.at(-1)).toBe('stopped');
  }, 60_000);

  it('--check reports every problem with its pointer and exits 1; a valid config exits 0', () => {
    const bad = writeConfig('bad.json', { listeners: [{ name: 'main', port: 99999 }], routes: [{ name: 'r', upstream: 'nowhere' }] });
    const invalid = runCli(['--check', '--config', bad]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain('WEIR_ERR_CONFIG_INVALID');
    expect(invalid.stderr).toContain('/listeners/0/port');

    const valid = runCli(['--check']);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toMatch(/^OK /);
  });

  it('--help documents every flag and environment variable; bad flags exit 2', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const word of ['--config', '-c', '--workers', '--check', '--help', '--version', 'WEIR_LOG_LEVEL', 'WEIR_CLUSTER_SCHED', 'SIGHUP']) {
      expect(help.stdout).toContain(word);
    }
    expect(runCli(['--workers', 'many']).status).toBe(2);
    expect(runCli(['--bogus']).status).toBe(2);
  });
});
