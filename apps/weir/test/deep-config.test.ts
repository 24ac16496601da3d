import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { DAEMON_MAIN } from './harness/daemon';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * Issue 15, "deep input gives 500": a config nesting arrays 4,000 deep inside an `x-` key
 * (accepted and ignored by the schema) passed `--check` and `weirctl validate`, then got 500
 * WEIR_ERR_INTERNAL from the admin API (a stack overflow handing it to the build thread), and a
 * start-up with it said "the workers did not accept the config". Every entry point now refuses
 * it the same way: WEIR_ERR_CONFIG_INVALID with the pointer of the value past the depth limit.
 */
const writer = testToken('ci', ['read', 'write']);
const WEIRCTL = path.resolve(__dirname, '../../weirctl/dist/main.js');

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function deepConfig(): WeirConfig {
  return { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'deep' } }] }), admin: { tokens: [writer.entry] }, 'x-notes': nested(4000) } as WeirConfig;
}

/** The pointer of the first value past 64 levels under `x-notes`. */
const POINTER = `/x-notes${'/0'.repeat(63)}`;

describe('a config nested 4,000 deep', () => {
  const weir = daemonPerTest();
  let file: ConfigFile | null = null;

  afterEach(() => {
    file?.remove();
    file = null;
  });

  it('is refused with the pointer by weir --check and weirctl validate', () => {
    file = new ConfigFile(deepConfig());
    const check = spawnSync(process.execPath, [DAEMON_MAIN, '--check', '--config', file.path], { encoding: 'utf8', timeout: 20_000 });
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('WEIR_ERR_CONFIG_INVALID');
    expect(check.stderr).toContain(`${POINTER}: nested deeper than the limit of 64 levels`);
    const validate = spawnSync(process.execPath, [WEIRCTL, 'validate', file.path], { encoding: 'utf8', timeout: 20_000 });
    expect(validate.status).toBe(1);
    expect(validate.stderr).toContain(POINTER);
  });

  it('is a 400 with the pointer from the admin API, not a 500, and the running version stays', async () => {
    expect.assertions(4);
    const daemon = await weir.start({ ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'ok' } }] }), admin: { tokens: [writer.entry] } });
    const answer = await adminCall(daemon, 'POST', '/admin/config', { token: writer.token, body: deepConfig() });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: POINTER });
    const validate = await adminCall(daemon, 'POST', '/admin/config/validate', { token: writer.token, body: deepConfig() });
    expect(validate.json.error.code).toBe('WEIR_ERR_CONFIG_INVALID');
    expect((await adminCall(daemon, 'GET', '/admin/config', { token: writer.token })).headers.etag).toBe(`"${daemon.version}"`);
  }, 60_000);

  it('is rejected with the pointer when the watched file changes to it (SIGHUP), and the running version stays', async () => {
    expect.assertions(3);
    const daemon = await weir.start({ ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'ok' } }] }), admin: { tokens: [writer.entry] } });
    const rejected = daemon.nextLog((l) => l.msg === 'config rejected', 15_000);
    weir.file.write(deepConfig());
    daemon.signal('SIGHUP');
    const line = await rejected;
    expect(line['code']).toBe('WEIR_ERR_CONFIG_INVALID');
    expect(JSON.stringify(line['details'])).toContain(POINTER);
    expect((await adminCall(daemon, 'GET', '/admin/config', { token: writer.token })).headers.etag).toBe(`"${daemon.version}"`);
  }, 60_000);

  it('stops a start-up with an empty state directory naming the invalid config', async () => {
    expect.assertions(3);
    const daemon = await weir.start(deepConfig(), { waitForReady: false });
    const exit = await daemon.waitForExit();
    expect(exit.code).toBe(1);
    const text = daemon.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(text).toContain(POINTER);
    expect(text).not.toContain('the workers did not accept the config');
  }, 60_000);
});
