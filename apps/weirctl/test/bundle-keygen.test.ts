import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePrivateKeyFile, parsePublicKeyFile, publicKeyOf } from '@weir/bundle';
import { runBuiltCli } from './support/built-cli';

/** The permission bits of `file`. */
function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('weirctl bundle keygen (built CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-keygen-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes DIR/ID.key (0600) and DIR/ID.pub (0644), creating DIR (0700)', () => {
    const keys = path.join(dir, 'keys');
    const r = runBuiltCli(['bundle', 'keygen', '--key-id', 'release-2026', '--out', keys]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('release-2026.key');
    expect(mode(keys)).toBe(0o700);
    expect(mode(path.join(keys, 'release-2026.key'))).toBe(0o600);
    expect(mode(path.join(keys, 'release-2026.pub'))).toBe(0o644);
    const key = parsePrivateKeyFile(fs.readFileSync(path.join(keys, 'release-2026.key'), 'utf8'));
    const pub = parsePublicKeyFile(fs.readFileSync(path.join(keys, 'release-2026.pub'), 'utf8'));
    expect(key.keyId).toBe('release-2026');
    expect(pub).toEqual(publicKeyOf(key));
  });

  it('makes a different key each time, and prints the public key with --json', () => {
    const a = runBuiltCli(['bundle', 'keygen', '--key-id', 'a', '--out', dir, '--json']);
    const b = runBuiltCli(['bundle', 'keygen', '--key-id', 'b', '--out', dir, '--json']);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(a.json).toEqual({ keyId: 'a', privateKeyFile: path.join(dir, 'a.key'), publicKeyFile: path.join(dir, 'a.pub'), publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) });
    expect(a.json.publicKey).not.toBe(b.json.publicKey);
  });

  it('never overwrites a key (exit 2) and leaves the old one in place', () => {
    expect(runBuiltCli(['bundle', 'keygen', '--key-id', 'k', '--out', dir]).status).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'k.key'), 'utf8');
    const again = runBuiltCli(['bundle', 'keygen', '--key-id', 'k', '--out', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('WEIRCTL_ERR_FILE');
    expect(fs.readFileSync(path.join(dir, 'k.key'), 'utf8')).toBe(before);
    fs.rmSync(path.join(dir, 'k.key'));
    expect(runBuiltCli(['bundle', 'keygen', '--key-id', 'k', '--out', dir]).status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'k.key'))).toBe(false);
  });

  it.each([
    ['a key id with a slash', ['--key-id', '../k', '--out', '.']],
    ['no key id', ['--out', '.']],
    ['no directory', ['--key-id', 'k']],
    ['a stray argument', ['--key-id', 'k', '--out', '.', 'extra']],
  ])('refuses %s (exit 2)', (_what, args) => {
    const r = runBuiltCli(['bundle', 'keygen', ...args], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('WEIRCTL_ERR_USAGE');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
