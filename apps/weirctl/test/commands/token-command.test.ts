import { createHash } from 'node:crypto';
import { runCli } from '../support/run-cli';

/** The hash `sha256$<salt>$<hex>` names sha256(salt + token) (admin-api.md, Security). */
function matches(hash: string, token: string): boolean {
  const [, salt, hex] = hash.split('$');
  return createHash('sha256').update(`${salt}${token}`).digest('hex') === hex;
}

describe('weirctl token create', () => {
  it('prints the token on stdout and its admin.tokens entry on stderr, offline', async () => {
    expect.assertions(5);
    const r = await runCli(['token', 'create', '--name', 'ci', '--scopes', 'read,rollout']);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^weir_[A-Za-z0-9_-]{43}$/);
    const entry = JSON.parse(r.stderr) as { name: string; hash: string; scopes: string[] };
    expect({ name: entry.name, scopes: entry.scopes }).toEqual({ name: 'ci', scopes: ['read', 'rollout'] });
    expect(entry.hash).toMatch(/^sha256\$[A-Za-z0-9_-]{16,64}\$[0-9a-f]{64}$/);
    expect(matches(entry.hash, token)).toBe(true);
  });

  it('prints both in one document with --json, with the defaults of weir token', async () => {
    expect.assertions(4);
    const r = await runCli(['token', 'create', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json.entry).toEqual({ name: 'token', hash: expect.any(String), scopes: ['read'] });
    expect(matches(r.json.entry.hash, r.json.token)).toBe(true);
  });

  it('refuses bad names and scopes (exit 2)', async () => {
    expect.assertions(3);
    expect((await runCli(['token', 'create', '--scopes', 'read,root'])).code).toBe(2);
    expect((await runCli(['token', 'create', '--name', '-x'])).code).toBe(2);
    expect((await runCli(['token', 'create', '--scopes', ''])).code).toBe(2);
  });
});
