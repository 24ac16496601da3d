import { createHash, scryptSync, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/run-cli';

/** The PHC string `$scrypt$ln=..,r=..,p=..$salt$hash` names scrypt(secret, salt). */
function verifies(phc: string, secret: string): boolean {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (m === null) return false;
  const N = 2 ** Number(m[1]);
  const r = Number(m[2]);
  const expected = Buffer.from(m[5] as string, 'base64');
  const derived = scryptSync(secret, Buffer.from(m[4] as string, 'base64'), expected.length, { N, r, p: Number(m[3]), maxmem: 256 * N * r });
  return timingSafeEqual(derived, expected);
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('weirctl hash-secret', () => {
  let dir: string;
  const secretFile = (content: string): string => {
    const file = path.join(dir, `secret-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, content);
    return file;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-hash-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a scrypt PHC string (ln=14, r=8, p=1) of the secret in a file, one trailing newline removed', async () => {
    expect.assertions(5);
    const r = await runCli(['hash-secret', '--secret-file', secretFile('caf\u00e9 pass\n')]);
    expect(r.code).toBe(0);
    const phc = r.stdout.trim();
    expect(phc).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(verifies(phc, 'caf\u00e9 pass')).toBe(true);
    expect(verifies(phc, 'caf\u00e9 pass\n')).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('salts every hash', async () => {
    expect.assertions(1);
    const file = secretFile('same');
    const [a, b] = await Promise.all([runCli(['hash-secret', '--secret-file', file]), runCli(['hash-secret', '--secret-file', file])]);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('prints the SHA-256 hex digest with --sha256, and JSON with --json', async () => {
    expect.assertions(3);
    const file = secretFile('key-one\r\n');
    expect((await runCli(['hash-secret', '--sha256', '--secret-file', file])).stdout).toBe(`${sha256('key-one')}\n`);
    const r = await runCli(['hash-secret', '--sha256', '--secret-file', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ hash: sha256('key-one') });
  });

  it('generates a secret with --generate: the secret on stdout, its hash on stderr', async () => {
    expect.assertions(5);
    const r = await runCli(['hash-secret', '--generate', '--sha256']);
    expect(r.code).toBe(0);
    const secret = r.stdout.trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.stderr.trim()).toBe(sha256(secret));
    const json = await runCli(['hash-secret', '--generate', '--json']);
    expect(json.stderr).toBe('');
    expect(verifies(json.json.hash, json.json.secret)).toBe(true);
  });

  it('refuses an empty or unreadable secret file, a secret on the command line, and both sources (exit 2)', async () => {
    expect.assertions(5);
    const empty = await runCli(['hash-secret', '--secret-file', secretFile('\n')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('WEIRCTL_ERR_FILE');
    expect((await runCli(['hash-secret', '--secret-file', path.join(dir, 'absent')])).code).toBe(2);
    expect((await runCli(['hash-secret', 'my-password'])).code).toBe(2);
    expect((await runCli(['hash-secret', '--generate', '--secret-file', secretFile('x')])).code).toBe(2);
  });
});
