import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError } from '../src/cli-error';
import { parseCommandLine } from '../src/cli-options';
import { DEFAULT_ADMIN_URL, resolveConnection, type ConnectionEnvironment } from '../src/connection';

function resolve(argv: string[], env: ConnectionEnvironment = {}): ReturnType<typeof resolveConnection> {
  return resolveConnection(parseCommandLine(argv, {}), env);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return `${err.code}/${err.exitCode}`;
    throw err;
  }
  return 'no error';
}

describe('resolveConnection', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-conn-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('defaults the URL and prefers --url over WEIR_ADMIN_URL', () => {
    expect(resolve(['--token', 't']).url).toBe(DEFAULT_ADMIN_URL);
    expect(resolve(['--token', 't'], { WEIR_ADMIN_URL: 'http://env:1/' }).url).toBe('http://env:1');
    expect(resolve(['--token', 't', '--url', 'https://flag:2/prefix/'], { WEIR_ADMIN_URL: 'http://env:1' }).url).toBe('https://flag:2/prefix');
  });

  it('takes the token from --token, --token-file, WEIR_TOKEN, then WEIR_TOKEN_FILE (files trimmed)', () => {
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, '  from-file\n');
    const envFile = path.join(dir, 'env-token');
    fs.writeFileSync(envFile, 'from-env-file\n');
    const env = { WEIR_TOKEN: 'from-env', WEIR_TOKEN_FILE: envFile };
    expect(resolve(['--token', 'from-flag'], env).token).toBe('from-flag');
    expect(resolve(['--token-file', file], env).token).toBe('from-file');
    expect(resolve([], env).token).toBe('from-env');
    expect(resolve([], { WEIR_TOKEN_FILE: envFile }).token).toBe('from-env-file');
  });

  it('is a usage error (exit 2) without a token, with both flags, with an unreadable or empty token file, or a bad URL', () => {
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, ' \n');
    expect(codeOf(() => resolve([]))).toBe('WEIRCTL_ERR_USAGE/2');
    expect(codeOf(() => resolve(['--token', 'a', '--token-file', empty]))).toBe('WEIRCTL_ERR_USAGE/2');
    expect(codeOf(() => resolve(['--token-file', path.join(dir, 'missing')]))).toBe('WEIRCTL_ERR_FILE/2');
    expect(codeOf(() => resolve([], { WEIR_TOKEN_FILE: empty }))).toBe('WEIRCTL_ERR_FILE/2');
    expect(codeOf(() => resolve(['--token', 't', '--url', 'ftp://x']))).toBe('WEIRCTL_ERR_USAGE/2');
    expect(codeOf(() => resolve(['--token', 't', '--url', 'not a url']))).toBe('WEIRCTL_ERR_USAGE/2');
    expect(codeOf(() => resolve(['--token', 't', '--url', 'http://u:p@h']))).toBe('WEIRCTL_ERR_USAGE/2');
  });

  it('reads --request-timeout', () => {
    expect(resolve(['--token', 't']).requestTimeoutMs).toBe(60_000);
    expect(resolve(['--token', 't', '--request-timeout', '5s']).requestTimeoutMs).toBe(5000);
  });
});
