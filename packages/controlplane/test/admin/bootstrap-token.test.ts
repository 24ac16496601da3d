import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BOOTSTRAP_HASH_FILE, BOOTSTRAP_TOKEN_FILE, BootstrapToken, TokenVerifier } from '../../src/admin/index';
import { CapturedLog } from '../support/captured-log';

describe('BootstrapToken', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-admin-token-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates an admin token once: hash and token files mode 0600, token printed once', async () => {
    expect.assertions(8);
    const stateDir = path.join(dir, 'state');
    const log = new CapturedLog();
    const entry = await new BootstrapToken({ stateDir, logger: log.logger }).ensure();
    const token = fs.readFileSync(path.join(stateDir, BOOTSTRAP_TOKEN_FILE), 'utf8').trim();
    expect(entry).toEqual({ name: 'bootstrap', hash: expect.stringMatching(/^sha256\$/), scopes: ['admin'] });
    expect(new TokenVerifier([entry]).verify(token)).toEqual({ name: 'bootstrap', scopes: ['admin'] });
    expect(fs.statSync(path.join(stateDir, BOOTSTRAP_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(stateDir, BOOTSTRAP_HASH_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(stateDir, BOOTSTRAP_HASH_FILE), 'utf8')).not.toContain(token);
    expect(log.withMsg('admin token generated')).toEqual([expect.objectContaining({ level: 'warn', token, tokenFile: path.join(stateDir, BOOTSTRAP_TOKEN_FILE) })]);

    // The next start reads the hash back, prints nothing secret, and the token still works.
    const again = new CapturedLog();
    const reread = await new BootstrapToken({ stateDir, logger: again.logger }).ensure();
    expect(reread).toEqual(entry);
    expect(again.lines.map((l) => l.msg)).toEqual(['admin token from the state directory']);
  });

  it('memoises concurrent calls', async () => {
    expect.assertions(2);
    const log = new CapturedLog();
    const bootstrap = new BootstrapToken({ stateDir: dir, logger: log.logger });
    const [a, b] = await Promise.all([bootstrap.ensure(), bootstrap.ensure()]);
    expect(a).toBe(b);
    expect(log.withMsg('admin token generated')).toHaveLength(1);
  });

  it('replaces a damaged hash file with a new token', async () => {
    expect.assertions(2);
    fs.writeFileSync(path.join(dir, BOOTSTRAP_HASH_FILE), '{"hash": "plaintext"}');
    const log = new CapturedLog();
    const entry = await new BootstrapToken({ stateDir: dir, logger: log.logger }).ensure();
    expect(entry.hash).toMatch(/^sha256\$/);
    expect(log.lines.map((l) => l.msg)).toEqual(['admin token file is damaged; generating a new token', 'admin token generated']);
  });

  it('fails when the state directory cannot be written, and retries on the next call', async () => {
    expect.assertions(2);
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const log = new CapturedLog();
    const bootstrap = new BootstrapToken({ stateDir: path.join(blocker, 'state'), logger: log.logger });
    await expect(bootstrap.ensure()).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    await expect(bootstrap.ensure()).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
  });
});
