import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeBase64, publicKeyOf, signBundle, signingKeyFromSeed, type SigningKey } from '@weir/bundle';
import type { PullConfig, WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { BundleServer } from './harness/bundle-server';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon, type LogLine } from './harness/daemon';
import { pollSample, sampleValue, scrape } from './harness/metrics';

/**
 * The bundle puller against the built daemon (issue 12): a real static HTTP server on loopback
 * serves signed bundle files with ETags; the daemon polls it every 200 ms. A good bundle is
 * applied on every worker; a 304 changes nothing; every rejection case is counted, logged and
 * leaves the running version; a restart with the source down serves the kept bundle; a source
 * down then back; a key rotation through the config file.
 */
const OLD = signingKeyFromSeed('release-old', Buffer.alloc(32, 7));
const NEW = signingKeyFromSeed('release-new', Buffer.alloc(32, 8));
const STRANGER = signingKeyFromSeed('stranger', Buffer.alloc(32, 9));
const admin = testToken('ops', ['read', 'write', 'rollout', 'admin']);

function trusted(...keys: SigningKey[]): PullConfig['trustedKeys'] {
  return keys.map((k) => ({ keyId: k.keyId, publicKey: encodeBase64(publicKeyOf(k).publicKey) }));
}

/** A config answering `body` on every path, with the test's admin token. */
function serving(body: string, pull?: PullConfig): WeirConfig {
  const config: WeirConfig = { ...proxyConfig({ routes: [{ name: 'r', directResponse: { status: 200, body } }] }), admin: { tokens: [admin.entry] } };
  return pull === undefined ? config : { ...config, pull };
}

function bundle(revision: number, keys: readonly SigningKey[], config: unknown = serving(`revision ${revision}`), expiresAt?: number): Buffer {
  return signBundle({ revision, createdAt: Date.now() - 60_000, ...(expiresAt === undefined ? {} : { expiresAt }), config }, keys).bytes;
}

const isMsg =
  (msg: string, fields: Record<string, unknown> = {}) =>
  (line: LogLine): boolean =>
    line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v);

describe('bundle puller (built daemon, 2 workers)', () => {
  let source: BundleServer;
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let stateDir: string;

  beforeEach(async () => {
    source = new BundleServer();
    await source.listen();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-e2e-pull-'));
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
    await source.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  function pull(keys: readonly SigningKey[] = [OLD]): PullConfig {
    return { url: source.url, intervalMs: 200, jitterMs: 0, maxBackoffMs: 400, timeoutMs: 2000, trustedKeys: trusted(...keys) };
  }

  async function start(config: WeirConfig): Promise<Daemon> {
    file = file ?? new ConfigFile(config);
    daemon = await Daemon.start({ configPath: file.path, stateDir });
    return daemon;
  }

  const body = async (d: Daemon): Promise<string> => (await send(d.port)).body;

  /**
   * Every worker serves the running version, and a request gets `expected`. Workers confirm a
   * commit just after the apply resolves, so the status is polled (every 25 ms, at most 5 s).
   */
  async function servedEverywhere(d: Daemon, expected: string): Promise<void> {
    const deadline = Date.now() + 5000;
    let seen: { versions: string[]; running: string } = { versions: [], running: '' };
    for (;;) {
      const status = await adminCall(d, 'GET', '/admin/status', { token: admin.token });
      seen = { versions: [...new Set((status.json.workers as { version: string }[]).map((w) => w.version))], running: status.json.config.version as string };
      if ((seen.versions.length === 1 && seen.versions[0] === seen.running) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect({ versions: seen.versions, body: await body(d) }).toEqual({ versions: [seen.running], body: expected });
  }

  it('applies a good bundle, leaves it alone on 304, and counts and logs every rejection without touching it', async () => {
    expect.assertions(23);
    source.body = bundle(1, [OLD]);
    const d = await start(serving('bootstrap', pull()));
    const applied = await d.waitForLog(isMsg('bundle applied', { revision: 1 }));
    await servedEverywhere(d, 'revision 1');
    const running = (await adminCall(d, 'GET', '/admin/status', { token: admin.token })).json.config;
    expect(running).toMatchObject({ source: 'bundle', version: applied['version'] });

    // Unchanged source: 304s, no second apply.
    const before = source.answers.length;
    expect(await pollSample(d, admin.token, 'weir_bundle_pulls_total{outcome="unchanged"}', (v) => v >= 2)).toBeGreaterThanOrEqual(2);
    expect(source.answers.slice(before).every((s) => s === 304)).toBe(true);
    expect(d.logs.filter(isMsg('bundle applied'))).toHaveLength(1);

    const tamper = (bytes: Buffer): Buffer => {
      const f = JSON.parse(bytes.toString('utf8')) as { payload: string };
      const payload = Buffer.from(f.payload, 'base64').toString('utf8').replace('revision 2', 'revision X');
      return Buffer.from(JSON.stringify({ ...f, payload: Buffer.from(payload).toString('base64') }));
    };
    const badSignature = (bytes: Buffer): Buffer => {
      const f = JSON.parse(bytes.toString('utf8')) as { signatures: { keyId: string; sig: string }[] };
      const other = JSON.parse(bundle(2, [STRANGER]).toString('utf8')) as { signatures: { sig: string }[] };
      return Buffer.from(JSON.stringify({ ...f, signatures: [{ keyId: OLD.keyId, sig: other.signatures[0]?.sig }] }));
    };
    const cases: [Buffer, string][] = [
      [bundle(2, [STRANGER]), 'WEIR_ERR_BUNDLE_UNKNOWN_KEY'],
      [badSignature(bundle(2, [OLD])), 'WEIR_ERR_BUNDLE_BAD_SIGNATURE'],
      [tamper(bundle(2, [OLD])), 'WEIR_ERR_BUNDLE_TAMPERED'],
      [bundle(2, [OLD], serving('expired'), Date.now() - 1000), 'WEIR_ERR_BUNDLE_EXPIRED'],
      [bundle(1, [OLD], serving('replayed')), 'WEIR_ERR_BUNDLE_REVISION'],
      [bundle(2, [OLD], { ...serving('invalid'), listeners: [] }), 'WEIR_ERR_BUNDLE_CONFIG_INVALID'],
    ];
    for (const [bytes, code] of cases) {
      const logged = d.nextLog(isMsg('bundle rejected', { code }));
      source.body = bytes;
      expect((await logged)['source']).toBe(source.url);
      expect(await body(d)).toBe('revision 1');
    }
    const metrics = await scrape(d, admin.token);
    expect(cases.map(([, code]) => sampleValue(metrics, `weir_bundle_rejections_total{reason="${code}"}`))).toEqual(cases.map(() => 1));
    expect(sampleValue(metrics, 'weir_bundle_revision')).toBe(1);
    expect(sampleValue(metrics, 'weir_bundle_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    const status = await adminCall(d, 'GET', '/admin/status', { token: admin.token });
    expect(status.json.pull).toMatchObject({ source: source.url, mode: 'apply', revision: 1, lastError: { code: 'WEIR_ERR_BUNDLE_CONFIG_INVALID' } });
    expect(status.json.config.version).toBe(applied['version']);
    await servedEverywhere(d, 'revision 1');
  }, 60_000);

  it('in rollout mode starts a staged rollout of a verified bundle instead of applying it', async () => {
    expect.assertions(4);
    source.body = bundle(1, [OLD]);
    const d = await start(serving('bootstrap', { ...pull(), mode: 'rollout' }));
    const started = await d.waitForLog(isMsg('bundle rollout started', { revision: 1 }));
    const rollouts = await adminCall(d, 'GET', '/admin/rollouts', { token: admin.token });
    expect(rollouts.json.current).toMatchObject({ id: started['rollout'] });
    // The stable version keeps serving until the stages promote the candidate.
    const status = await adminCall(d, 'GET', '/admin/status', { token: admin.token });
    expect(status.json.config.source).not.toBe('bundle');
    expect(status.json.pull).toMatchObject({ mode: 'rollout', revision: 1 });
    expect(d.logs.filter(isMsg('bundle applied'))).toHaveLength(0);
  }, 60_000);

  it('serves the kept bundle when restarted with the source down, and takes the next one when it is back', async () => {
    expect.assertions(7);
    source.body = bundle(5, [OLD]);
    let d = await start(serving('bootstrap', pull()));
    await d.waitForLog(isMsg('bundle applied', { revision: 5 }));
    await d.stop();

    // Down, and the file edited while Weir was down (so the start-up rule picks the file): the
    // kept bundle is served rather than the bootstrap.
    source.down = true;
    (file as ConfigFile).write(serving('bootstrap, edited', pull()));
    d = await start(serving('unused'));
    expect(d.logs.find(isMsg('config source'))).toMatchObject({ from: 'bundle' });
    expect(await body(d)).toBe('revision 5');
    await d.waitForLog(isMsg('bundle pull failed'));
    const status = await adminCall(d, 'GET', '/admin/status', { token: admin.token });
    expect(status.json.pull).toMatchObject({ revision: 5, lastError: { code: 'WEIR_ERR_BUNDLE_SOURCE' } });
    expect(status.json.pull.consecutiveFailures).toBeGreaterThanOrEqual(1);

    // Back, with a new revision.
    const next = d.nextLog(isMsg('bundle applied', { revision: 6 }), 10_000);
    source.body = bundle(6, [OLD]);
    source.down = false;
    await next;
    await servedEverywhere(d, 'revision 6');
    expect((await adminCall(d, 'GET', '/admin/status', { token: admin.token })).json.pull.consecutiveFailures).toBe(0);
    expect(await pollSample(d, admin.token, 'weir_bundle_pulls_total{outcome="failed"}', (v) => v >= 1)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('rotates keys through the config file: old and new trusted, then the old removed, keeping the bundle served', async () => {
    expect.assertions(4);
    source.body = bundle(1, [OLD]);
    const d = await start(serving('bootstrap', pull([OLD])));
    await d.waitForLog(isMsg('bundle applied', { revision: 1 }));

    // Signed by the new key only: not trusted yet.
    let rejected = d.nextLog(isMsg('bundle rejected', { code: 'WEIR_ERR_BUNDLE_UNKNOWN_KEY' }));
    source.body = bundle(2, [NEW]);
    await rejected;

    // Trust both: the file's change keeps the kept bundle served, and revision 2 is taken.
    const taken = d.nextLog(isMsg('bundle applied', { revision: 2 }));
    (file as ConfigFile).write(serving('bootstrap', pull([OLD, NEW])));
    await taken;
    await servedEverywhere(d, 'revision 2');

    // Remove the old key: still revision 2 (it verifies under the new key), never the bootstrap.
    const composed = d.nextLog(isMsg('the kept bundle is served with the pull section of this config'));
    const committed = d.nextLog(isMsg('config applied', { source: 'file' }));
    (file as ConfigFile).write(serving('bootstrap', pull([NEW])));
    await composed;
    await committed;
    await servedEverywhere(d, 'revision 2');

    // A bundle signed by the old key alone is now refused.
    rejected = d.nextLog(isMsg('bundle rejected', { code: 'WEIR_ERR_BUNDLE_UNKNOWN_KEY' }));
    source.body = bundle(3, [OLD]);
    await rejected;
    expect(await body(d)).toBe('revision 2');
    expect((await adminCall(d, 'GET', '/admin/status', { token: admin.token })).json.pull.revision).toBe(2);
  }, 60_000);
});
