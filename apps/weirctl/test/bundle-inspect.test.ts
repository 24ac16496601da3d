import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBuiltCli } from './support/built-cli';

const vectorFile = path.resolve(__dirname, '..', '..', '..', 'packages', 'bundle', 'test', 'vectors', 'weir-bundle-1.json');
const vector = JSON.parse(fs.readFileSync(vectorFile, 'utf8')) as { bundle: string; payloadSha256: string; payload: string; keys: { keyId: string; publicKeyFile: string }[] };

describe('weirctl bundle inspect (built CLI)', () => {
  let dir: string;
  let bundle: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-inspect-'));
    bundle = path.join(dir, 'vector.bundle');
    fs.writeFileSync(bundle, vector.bundle);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the metadata of the test vector, unverified', () => {
    const r = runBuiltCli(['bundle', 'inspect', bundle]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'revision    7',
      'created     2026-12-06T17:00:00.000Z',
      'expires     2027-12-06T17:00:00.000Z',
      'labels      env=prod, region=eu-west',
      'signatures  vector-key-1, vector-key-2 (not verified: use weirctl bundle verify)',
      `payload     ${Buffer.byteLength(vector.payload)} bytes, sha256 ${vector.payloadSha256}`,
      'config      1 listener, 1 route, 0 upstreams',
      '',
    ]);
  });

  it('prints one JSON document with --json', () => {
    const r = runBuiltCli(['bundle', 'inspect', '--json', bundle]);
    expect(r.status).toBe(0);
    expect(r.json).toEqual({
      revision: 7,
      createdAt: '2026-12-06T17:00:00.000Z',
      expiresAt: '2027-12-06T17:00:00.000Z',
      labels: { env: 'prod', region: 'eu-west' },
      signatures: [{ keyId: 'vector-key-1' }, { keyId: 'vector-key-2' }],
      payloadSha256: vector.payloadSha256,
      payloadBytes: Buffer.byteLength(vector.payload),
      verified: false,
    });
  });

  it('verifies the test vector with its public keys and threshold 2', () => {
    const pubs = vector.keys.map((k) => {
      const file = path.join(dir, `${k.keyId}.pub`);
      fs.writeFileSync(file, k.publicKeyFile);
      return file;
    });
    const r = runBuiltCli(['bundle', 'verify', '--pub', pubs[0] as string, '--pub', pubs[1] as string, '--threshold', '2', bundle]);
    // The vector expires 2027-12-06; after that this test would need a fixed clock.
    expect(r.status).toBe(Date.now() < Date.parse('2027-12-06T17:00:00.000Z') ? 0 : 9);
  });

  it('refuses a malformed or tampered bundle (exit 9) and a missing file (exit 2)', () => {
    fs.writeFileSync(path.join(dir, 'junk'), '{"format":"weir-bundle/2"}');
    const junk = runBuiltCli(['bundle', 'inspect', path.join(dir, 'junk')]);
    expect([junk.status, junk.stderr]).toEqual([9, expect.stringContaining('WEIR_ERR_BUNDLE_MALFORMED')]);
    const tampered = JSON.parse(vector.bundle) as Record<string, string>;
    tampered['payload'] = Buffer.from(vector.payload.replace('"revision":7', '"revision":8')).toString('base64');
    fs.writeFileSync(path.join(dir, 'tampered'), JSON.stringify(tampered));
    const t = runBuiltCli(['bundle', 'inspect', path.join(dir, 'tampered')]);
    expect([t.status, t.stderr]).toEqual([9, expect.stringContaining('WEIR_ERR_BUNDLE_TAMPERED')]);
    expect(runBuiltCli(['bundle', 'inspect', path.join(dir, 'missing')]).status).toBe(2);
  });
});
