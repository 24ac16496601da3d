import { spawnSync } from 'node:child_process';
import { validateConfig } from '@weir/config';
import { TokenVerifier } from '@weir/controlplane';
import { DAEMON_MAIN } from './harness/daemon';
import { HELP_TEXT } from '../src/cli-args';
import { runTokenCommand } from '../src/token-command';

function runCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [DAEMON_MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `weir token`: a new token on line 1, its config entry (a salted hash, never the token) on line 2. */
describe('weir token', () => {
  it('prints a token and an admin.tokens entry that the config accepts and that verifies the token', () => {
    const run = runCli(['token', '--name', 'ci', '--scopes', 'read,write']);
    expect(run.status).toBe(0);
    const [token, line, rest] = run.stdout.split('\n');
    expect(token).toMatch(/^weir_[A-Za-z0-9_-]{43}$/);
    expect(rest).toBe('');
    const entry = JSON.parse(line as string) as { name: string; hash: string; scopes: string[] };
    expect(entry).toEqual({ name: 'ci', hash: expect.stringMatching(/^sha256\$/), scopes: ['read', 'write'] });
    expect(line).not.toContain(token as string);
    const config = { listeners: [{ name: 'l', port: 0 }], routes: [], admin: { tokens: [entry] } };
    expect(validateConfig(config).ok).toBe(true);
    expect(new TokenVerifier([entry as never]).verify(token as string)).toEqual({ name: 'ci', scopes: ['read', 'write'] });
  });

  it('defaults to the read scope, and refuses bad scopes and names with exit 2', () => {
    expect(JSON.parse(runTokenCommand([]).stdout.split('\n')[1] as string)).toMatchObject({ name: 'token', scopes: ['read'] });
    expect(runTokenCommand(['--scopes', 'root'])).toMatchObject({ code: 2, stdout: '' });
    expect(runTokenCommand(['--name', '-x'])).toMatchObject({ code: 2, stdout: '' });
    expect(runTokenCommand(['--bogus'])).toMatchObject({ code: 2 });
    expect(runTokenCommand(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--scopes') });
  });

  it('is listed in weir --help, with WEIR_ADMIN_LISTEN', () => {
    expect(HELP_TEXT).toContain('weir token');
    expect(HELP_TEXT).toContain('WEIR_ADMIN_LISTEN');
  });
});
