import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePrivateKeyFile, signBundle, type PayloadContents } from '@weir/bundle';
import { runBuiltCli, type BuiltCliResult } from './support/built-cli';
import { runCli } from './support/run-cli';

const HOUR = 3_600_000;
const CONFIG = { listeners: [{ name: 'public', port: 8080 }], routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }] };

/**
 * `weirctl bundle sign` and `bundle verify` through the built CLI: a good bundle exits 0, and each
 * rejection exits with its documented code (9; 1 for an invalid config) and names its reason.
 */
describe('weirctl bundle sign and verify (built CLI)', () => {
  let dir: string;
  const file = (name: string): string => path.join(dir, name);
  const cli = (...args: string[]): BuiltCliResult => runBuiltCli(args, { cwd: dir });
  /** A bundle signed in-process with the key files' keys (for cases the CLI will not sign). */
  const signWith = (name: string, keyIds: string[], overrides: Partial<PayloadContents> = {}): string => {
    const keys = keyIds.map((id) => parsePrivateKeyFile(fs.readFileSync(file(`${id}.key`), 'utf8')));
    fs.writeFileSync(file(name), signBundle({ config: CONFIG, revision: 5, createdAt: Date.now(), ...overrides }, keys).bytes);
    return file(name);
  };
  /** The bundle file as JSON, edited by `edit`, written as `name`. */
  const edited = (from: string, name: string, edit: (b: Record<string, any>) => void): string => {
    const bundle = JSON.parse(fs.readFileSync(from, 'utf8')) as Record<string, any>;
    edit(bundle);
    fs.writeFileSync(file(name), JSON.stringify(bundle));
    return file(name);
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-bundle-'));
    for (const id of ['ops-a', 'ops-b', 'stranger']) expect(cli('bundle', 'keygen', '--key-id', id, '--out', dir).status).toBe(0);
    fs.writeFileSync(file('weir.json'), JSON.stringify(CONFIG));
    fs.writeFileSync(file('invalid.json'), JSON.stringify({ listeners: [{ name: 'l', port: 70000 }] }));
    const r = cli('bundle', 'sign', '--key', file('ops-a.key'), '--revision', '5', '--expires', '1h', '--label', 'env=prod', '--label', 'zone=a=b,c', file('weir.json'), '--out', file('good.bundle'));
    expect(r.status).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs a config and verifies it: exit 0 with the metadata', () => {
    const r = cli('bundle', 'verify', '--pub', file('ops-a.pub'), file('good.bundle'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok, signed by ops-a');
    expect(r.stdout).toMatch(/^revision +5$/m);
    expect(r.stdout).toMatch(/^labels +env=prod, zone=a=b,c$/m);
    expect(r.stderr).toBe('');
  });

  it('prints one JSON document with --json, for sign and verify', () => {
    const signed = cli('bundle', 'sign', '--json', '--key', file('ops-a.key'), '--revision', '6', file('weir.json'), '--out', file('json.bundle'));
    expect(signed.status).toBe(0);
    expect(signed.json).toEqual({
      file: file('json.bundle'),
      revision: 6,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      expiresAt: null,
      labels: {},
      payloadSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedBy: ['ops-a'],
    });
    const verified = cli('bundle', 'verify', '--json', '--pub', file('ops-a.pub'), '--current-revision', '5', file('json.bundle'));
    expect(verified.status).toBe(0);
    expect(verified.json).toEqual({ valid: true, file: file('json.bundle'), ...signed.json, ignoredSignatures: [] });
  });

  describe('exits non-zero with the reason for every rejection', () => {
    const rejected = (bundle: string, pubs: string[], extra: string[] = []): [number | null, string] => {
      const r = cli('bundle', 'verify', ...pubs.flatMap((p) => ['--pub', file(`${p}.pub`)]), ...extra, bundle);
      const code = /WEIR_ERR_BUNDLE_[A-Z_]+/.exec(r.stderr)?.[0] ?? r.stderr;
      return [r.status, code];
    };

    it('malformed file', () => {
      fs.writeFileSync(file('junk.bundle'), 'not a bundle');
      expect(rejected(file('junk.bundle'), ['ops-a'])).toEqual([9, 'WEIR_ERR_BUNDLE_MALFORMED']);
      const truncated = fs.readFileSync(file('good.bundle')).subarray(0, 200);
      fs.writeFileSync(file('truncated.bundle'), truncated);
      expect(rejected(file('truncated.bundle'), ['ops-a'])).toEqual([9, 'WEIR_ERR_BUNDLE_MALFORMED']);
    });

    it('tampered payload', () => {
      const tampered = edited(file('good.bundle'), 'tampered.bundle', (b) => {
        b['payload'] = Buffer.from(Buffer.from(b['payload'], 'base64').toString('utf8').replace('"body":"hi"', '"body":"pwned"')).toString('base64');
      });
      expect(rejected(tampered, ['ops-a'])).toEqual([9, 'WEIR_ERR_BUNDLE_TAMPERED']);
    });

    it('unknown key id', () => {
      expect(rejected(file('good.bundle'), ['ops-b'])).toEqual([9, 'WEIR_ERR_BUNDLE_UNKNOWN_KEY']);
    });

    it('bad signature', () => {
      const bad = edited(file('good.bundle'), 'bad-sig.bundle', (b) => {
        const sig = Buffer.from(b['signatures'][0].sig, 'base64');
        sig[0] = (sig[0] as number) ^ 0x80;
        b['signatures'][0].sig = sig.toString('base64');
      });
      expect(rejected(bad, ['ops-a'])).toEqual([9, 'WEIR_ERR_BUNDLE_BAD_SIGNATURE']);
    });

    it('threshold not met', () => {
      expect(rejected(file('good.bundle'), ['ops-a', 'ops-b'], ['--threshold', '2'])).toEqual([9, 'WEIR_ERR_BUNDLE_THRESHOLD']);
    });

    it('expired', () => {
      const expired = signWith('expired.bundle', ['ops-a'], { createdAt: Date.now() - 2 * HOUR, expiresAt: Date.now() - HOUR });
      expect(rejected(expired, ['ops-a'])).toEqual([9, 'WEIR_ERR_BUNDLE_EXPIRED']);
    });

    it('revision not newer than the current one (replay, rollback)', () => {
      expect(rejected(file('good.bundle'), ['ops-a'], ['--current-revision', '5'])).toEqual([9, 'WEIR_ERR_BUNDLE_REVISION']);
      expect(rejected(file('good.bundle'), ['ops-a'], ['--current-revision', '9'])).toEqual([9, 'WEIR_ERR_BUNDLE_REVISION']);
    });

    it('config fails validation: exit 1 with each problem', () => {
      const invalid = signWith('invalid.bundle', ['ops-a'], { config: { listeners: [{ name: 'l', port: 70000 }] } });
      const r = cli('bundle', 'verify', '--pub', file('ops-a.pub'), invalid);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('WEIR_ERR_BUNDLE_CONFIG_INVALID');
      expect(r.stderr).toContain('/listeners/0/port');
    });

    it('reports the code and message as JSON with --json', () => {
      const r = cli('bundle', 'verify', '--json', '--pub', file('ops-b.pub'), file('good.bundle'));
      expect(r.status).toBe(9);
      expect(r.json).toEqual({ error: { code: 'WEIR_ERR_BUNDLE_UNKNOWN_KEY', message: expect.stringContaining('"ops-a"') } });
    });
  });

  it('k of n: two keys sign, threshold 2 passes', () => {
    const r = cli('bundle', 'sign', '--key', file('ops-a.key'), '--key', file('ops-b.key'), '--revision', '7', file('weir.json'), '--out', file('both.bundle'));
    expect(r.status).toBe(0);
    expect(cli('bundle', 'verify', '--pub', file('ops-a.pub'), '--pub', file('ops-b.pub'), '--threshold', '2', file('both.bundle')).status).toBe(0);
  });

  it('key rotation: old and new trusted, then only the new', () => {
    expect(cli('bundle', 'sign', '--key', file('ops-a.key'), '--key', file('stranger.key'), '--revision', '8', file('weir.json'), '--out', file('rotating.bundle')).status).toBe(0);
    expect(cli('bundle', 'sign', '--key', file('ops-a.key'), '--revision', '8', file('weir.json'), '--out', file('old-only.bundle')).status).toBe(0);
    const verify = (bundle: string, ...pubs: string[]): number | null => cli('bundle', 'verify', ...pubs.flatMap((p) => ['--pub', file(`${p}.pub`)]), file(bundle)).status;
    expect([verify('rotating.bundle', 'ops-a', 'stranger'), verify('old-only.bundle', 'ops-a', 'stranger')]).toEqual([0, 0]);
    const after = cli('bundle', 'verify', '--pub', file('stranger.pub'), file('rotating.bundle'));
    expect(after.status).toBe(0);
    expect(after.stderr).toContain('"ops-a" did not count');
    expect(verify('old-only.bundle', 'stranger')).toBe(9);
  });

  describe('refuses to sign', () => {
    it('an invalid config (exit 1, nothing written)', () => {
      const r = cli('bundle', 'sign', '--key', file('ops-a.key'), '--revision', '1', file('invalid.json'), '--out', file('never.bundle'));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('WEIR_ERR_CONFIG_INVALID');
      expect(fs.existsSync(file('never.bundle'))).toBe(false);
    });

    it.each([
      ['a public key as the key', ['--key', 'ops-a.pub', '--revision', '1'], 'WEIR_ERR_BUNDLE_KEY_INVALID'],
      ['a missing key file', ['--key', 'nope.key', '--revision', '1'], 'WEIRCTL_ERR_FILE'],
      ['revision 0', ['--key', 'ops-a.key', '--revision', '0'], 'WEIRCTL_ERR_USAGE'],
      ['no revision', ['--key', 'ops-a.key'], 'WEIRCTL_ERR_USAGE'],
      ['an expiry in the past', ['--key', 'ops-a.key', '--revision', '1', '--expires', '2020-01-01T00:00:00Z'], 'WEIRCTL_ERR_USAGE'],
      ['an unreadable expiry', ['--key', 'ops-a.key', '--revision', '1', '--expires', 'soon'], 'WEIRCTL_ERR_USAGE'],
      ['a label without =', ['--key', 'ops-a.key', '--revision', '1', '--label', 'prod'], 'WEIRCTL_ERR_USAGE'],
      ['a bad label key', ['--key', 'ops-a.key', '--revision', '1', '--label', '-x=1'], 'WEIRCTL_ERR_USAGE'],
      ['the same key twice', ['--key', 'ops-a.key', '--key', 'ops-a.key', '--revision', '1'], 'WEIRCTL_ERR_USAGE'],
    ])('%s (exit 2)', async (_what, args, code) => {
      expect.assertions(2);
      // In-process (run-cli), as these fail before anything is signed: quicker than a process each.
      const paths = args.map((a) => (/\.(key|pub)$/.test(a) ? file(a) : a));
      const r = await runCli(['bundle', 'sign', ...paths, file('weir.json'), '--out', file('never.bundle')]);
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(code)]);
      expect(fs.existsSync(file('never.bundle'))).toBe(false);
    });
  });

  it.each([
    ['no --pub', [], 'WEIRCTL_ERR_USAGE'],
    ['a threshold above the number of keys', ['--pub', 'ops-a.pub', '--threshold', '2'], 'WEIRCTL_ERR_USAGE'],
    ['the same key twice', ['--pub', 'ops-a.pub', '--pub', 'ops-a.pub'], 'WEIR_ERR_BUNDLE_KEY_INVALID'],
    ['a private key as --pub', ['--pub', 'ops-a.key'], 'WEIR_ERR_BUNDLE_KEY_INVALID'],
    ['a missing bundle', ['--pub', 'ops-a.pub', 'missing.bundle'], 'WEIRCTL_ERR_FILE'],
  ])('verify refuses %s (exit 2)', async (_what, args, code) => {
    expect.assertions(1);
    const paths = args.map((a) => (/\.(key|pub|bundle)$/.test(a) ? file(a) : a));
    const r = await runCli(['bundle', 'verify', ...paths, ...(args.includes('missing.bundle') ? [] : [file('good.bundle')])]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(code)]);
  });
});
