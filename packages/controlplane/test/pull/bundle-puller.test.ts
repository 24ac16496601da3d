import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeBase64, encodePublicKeyFile, publicKeyOf, signBundle, signingKeyFromSeed, type SigningKey } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import { BundlePuller, PulledBundleFile, type PulledBundle, type PullOutcome } from '../../src/pull/index';
import type { ApplyOutcome } from '../../src/apply/index';
import { CapturedLog } from '../support/captured-log';
import { StaticBundleServer } from './static-bundle-server';

const OLD = signingKeyFromSeed('release-old', Buffer.alloc(32, 1));
const NEW = signingKeyFromSeed('release-new', Buffer.alloc(32, 2));
const STRANGER = signingKeyFromSeed('stranger', Buffer.alloc(32, 3));
const CREATED = Date.parse('2026-12-06T17:00:00.000Z');
const NOW = Date.parse('2026-12-06T18:00:00.000Z');

function config(body: string): Record<string, unknown> {
  return { listeners: [{ name: 'public', port: 8080 }], routes: [{ name: 'hello', directResponse: { status: 200, body } }] };
}

function bundle(revision: number, keys: readonly SigningKey[] = [OLD], extra: { expiresAt?: number; config?: Record<string, unknown> } = {}): Buffer {
  return signBundle(
    { revision, createdAt: CREATED, ...(extra.expiresAt === undefined ? {} : { expiresAt: extra.expiresAt }), config: extra.config ?? config(`revision ${revision}`) },
    keys,
  ).bytes;
}

function trusted(...keys: SigningKey[]): PullConfig['trustedKeys'] {
  return keys.map((k) => ({ keyId: k.keyId, publicKey: encodeBase64(publicKeyOf(k).publicKey) }));
}

/** The apply manager's part the puller uses: records configs, fails on demand. */
class FakeApplier {
  readonly applied: Record<string, unknown>[] = [];
  failNext: WeirError | null = null;
  apply(config: unknown, source: string): Promise<ApplyOutcome> {
    if (source !== 'bundle') throw new Error(`source ${source}`);
    const failure = this.failNext;
    this.failNext = null;
    if (failure !== null) return Promise.reject(failure);
    this.applied.push(config as Record<string, unknown>);
    return Promise.resolve({ changed: false, version: `v-${this.applied.length}`, hash: 'h', spec: {} as never });
  }
}

describe('BundlePuller against a static HTTP server', () => {
  let server: StaticBundleServer;
  let url: string;
  let log: CapturedLog;
  let applier: FakeApplier;
  let pullers: BundlePuller[];
  let outcomes: PullOutcome[];
  let rejected: string[];
  let kept: PulledBundle[];

  beforeEach(async () => {
    server = new StaticBundleServer();
    url = await server.listen();
    log = new CapturedLog();
    applier = new FakeApplier();
    pullers = [];
    outcomes = [];
    rejected = [];
    kept = [];
  });

  afterEach(async () => {
    for (const p of pullers) await p.stop();
    await server.close();
  });

  function section(extra: Partial<PullConfig> = {}): PullConfig {
    return { url, trustedKeys: trusted(OLD), timeoutMs: 2000, ...extra };
  }

  function puller(pull: PullConfig = section(), held: PulledBundle | null = null): BundlePuller {
    const p = new BundlePuller({
      section: pull,
      applier,
      logger: log.logger,
      held,
      store: { save: async (b) => void kept.push(b) },
      wallClock: () => NOW,
      onPoll: (o) => outcomes.push(o),
      onRejected: (code) => rejected.push(code),
    });
    pullers.push(p);
    return p;
  }

  it('applies a verified bundle with the host pull section, keeps it, then answers 304s as unchanged', async () => {
    expect.assertions(12);
    server.body = bundle(1, [OLD], { config: { ...config('one'), pull: { url: 'http://elsewhere.example/b', trustedKeys: trusted(STRANGER) } } });
    const pull = section();
    const p = puller(pull);
    await expect(p.poll()).resolves.toBe('applied');
    expect(applier.applied).toHaveLength(1);
    expect(applier.applied[0]?.['pull']).toBe(pull);
    expect((applier.applied[0]?.['routes'] as { directResponse: { body: string } }[])[0]?.directResponse.body).toBe('one');
    expect(kept.map((k) => k.revision)).toEqual([1]);
    expect(p.status()).toMatchObject({ source: url, mode: 'apply', revision: 1, lastSuccessAt: new Date(NOW).toISOString(), lastError: null, consecutiveFailures: 0 });
    await expect(p.poll()).resolves.toBe('unchanged');
    expect(server.conditions[1]).toMatch(/^"[0-9a-f]{16}"$/);
    expect(applier.applied).toHaveLength(1);
    expect(outcomes).toEqual(['applied', 'unchanged']);
    expect(log.withMsg('bundle applied')).toHaveLength(1);
    expect(log.withMsg("the bundle's pull section is ignored: the host's own applies")).toHaveLength(1);
  });

  it('treats the same bytes without an ETag as unchanged', async () => {
    expect.assertions(3);
    server.noEtag = true;
    server.body = bundle(1);
    const p = puller();
    await expect(p.poll()).resolves.toBe('applied');
    await expect(p.poll()).resolves.toBe('unchanged');
    expect(applier.applied).toHaveLength(1);
  });

  const tamper = (bytes: Buffer): Buffer => {
    const file = JSON.parse(bytes.toString('utf8')) as { payload: string };
    const payload = Buffer.from(file.payload, 'base64').toString('utf8').replace('revision 2', 'revision X');
    return Buffer.from(JSON.stringify({ ...file, payload: Buffer.from(payload).toString('base64') }));
  };
  const badSignature = (bytes: Buffer): Buffer => {
    const file = JSON.parse(bytes.toString('utf8')) as { signatures: { keyId: string; sig: string }[] };
    const other = JSON.parse(bundle(2, [STRANGER]).toString('utf8')) as { signatures: { sig: string }[] };
    return Buffer.from(JSON.stringify({ ...file, signatures: [{ keyId: OLD.keyId, sig: other.signatures[0]?.sig }] }));
  };
  const cases: [string, () => Buffer, string][] = [
    ['an unknown key', () => bundle(2, [STRANGER]), 'WEIR_ERR_BUNDLE_UNKNOWN_KEY'],
    ['a bad signature', () => badSignature(bundle(2)), 'WEIR_ERR_BUNDLE_BAD_SIGNATURE'],
    ['a tampered payload', () => tamper(bundle(2)), 'WEIR_ERR_BUNDLE_TAMPERED'],
    ['a malformed file', () => Buffer.from('{"format":"weir-bundle/1"'), 'WEIR_ERR_BUNDLE_MALFORMED'],
    ['an expired bundle', () => bundle(2, [OLD], { expiresAt: Date.parse('2026-12-06T17:30:00.000Z') }), 'WEIR_ERR_BUNDLE_EXPIRED'],
    ['a replayed revision', () => bundle(1, [OLD], { config: config('again') }), 'WEIR_ERR_BUNDLE_REVISION'],
    ['an invalid config', () => bundle(2, [OLD], { config: { listeners: [], routes: [] } }), 'WEIR_ERR_BUNDLE_CONFIG_INVALID'],
  ];
  it.each(cases)('rejects %s once, counts and logs it, and leaves the running config', async (_name, make, code) => {
    expect.assertions(8);
    server.body = bundle(1);
    const p = puller();
    await p.poll();
    server.body = make();
    await expect(p.poll()).resolves.toBe('rejected');
    expect(rejected).toEqual([code]);
    expect(applier.applied).toHaveLength(1);
    expect(p.status()).toMatchObject({ revision: 1, lastError: { code } });
    expect(log.withMsg('bundle rejected').map((l) => l['code'])).toEqual([code]);
    // The same bytes again: a 304, not a second rejection.
    await expect(p.poll()).resolves.toBe('unchanged');
    expect(rejected).toHaveLength(1);
    expect(kept.map((k) => k.revision)).toEqual([1]);
  });

  it('fails on a bad status, a stalled source, an oversized file and a closed port, without touching the config', async () => {
    expect.assertions(9);
    const p = puller(section({ timeoutMs: 200, maxBytes: 2048 }));
    server.status = 503;
    await expect(p.poll()).resolves.toBe('failed');
    expect(p.status().lastError?.code).toBe('WEIR_ERR_BUNDLE_SOURCE');
    server.status = null;
    server.body = Buffer.alloc(4096, 0x20);
    await expect(p.poll()).resolves.toBe('failed');
    expect(p.status().lastError?.message).toContain('pull.maxBytes');
    server.stall = true;
    await expect(p.poll()).resolves.toBe('failed');
    expect(p.status().lastError?.message).toContain('pull.timeoutMs');
    const closed = puller(section({ url: 'http://127.0.0.1:1/weir.bundle' }));
    await expect(closed.poll()).resolves.toBe('failed');
    expect(applier.applied).toHaveLength(0);
    expect(rejected).toEqual([]);
  });

  it('tries a bundle again after a transient apply failure', async () => {
    expect.assertions(4);
    server.body = bundle(3);
    const p = puller();
    applier.failNext = new WeirError('WEIR_ERR_APPLY_TIMEOUT', 'a worker did not answer');
    await expect(p.poll()).resolves.toBe('failed');
    expect(p.currentRevision).toBeNull();
    await expect(p.poll()).resolves.toBe('applied');
    expect(p.currentRevision).toBe(3);
  });

  it('starts from a kept bundle: its validators, its bytes and its revision floor', async () => {
    expect.assertions(5);
    server.body = bundle(4);
    const first = puller();
    await first.poll();
    const held = kept[0] as PulledBundle;
    const second = puller(section(), held);
    await expect(second.poll()).resolves.toBe('unchanged');
    expect(server.conditions[1]).toBe(held.mark.etag);
    expect(second.status().lastSuccessAt).not.toBeNull();
    server.body = bundle(3, [OLD], { config: config('older') });
    await expect(second.poll()).resolves.toBe('rejected');
    expect(rejected).toEqual(['WEIR_ERR_BUNDLE_REVISION']);
  });

  it('rotates keys: a bundle by the new key is taken once the host trusts it, and the old key is refused after its removal', async () => {
    expect.assertions(6);
    server.body = bundle(1, [OLD]);
    const p = puller();
    await p.poll();
    server.body = bundle(2, [OLD, NEW]);
    await expect(p.poll()).resolves.toBe('applied');
    server.body = bundle(3, [NEW]);
    await expect(p.poll()).resolves.toBe('rejected');
    p.update(section({ trustedKeys: trusted(OLD, NEW) }));
    // The rejected bundle is forgotten with the old trust: fetched again, now accepted.
    await expect(p.poll()).resolves.toBe('applied');
    p.update(section({ trustedKeys: trusted(NEW) }));
    server.body = bundle(4, [OLD]);
    await expect(p.poll()).resolves.toBe('rejected');
    expect(rejected).toEqual(['WEIR_ERR_BUNDLE_UNKNOWN_KEY', 'WEIR_ERR_BUNDLE_UNKNOWN_KEY']);
    expect(p.currentRevision).toBe(3);
  });

  it('reads trusted keys from ID.pub files, and reports keys it cannot use instead of polling', async () => {
    expect.assertions(4);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-keys-'));
    try {
      const file = path.join(dir, 'release-old.pub');
      await fs.writeFile(file, encodePublicKeyFile(publicKeyOf(OLD)));
      server.body = bundle(1);
      const byFile = puller(section({ trustedKeys: [{ keyId: OLD.keyId, publicKeyFile: file }] }));
      await expect(byFile.poll()).resolves.toBe('applied');
      const wrongId = puller(section({ trustedKeys: [{ keyId: 'someone-else', publicKeyFile: file }] }));
      await expect(wrongId.poll()).resolves.toBe('failed');
      expect(wrongId.status().lastError?.code).toBe('WEIR_ERR_BUNDLE_KEY_INVALID');
      expect(server.conditions).toHaveLength(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('starts a rollout with a verified bundle in rollout mode, and tries again when one is running', async () => {
    expect.assertions(6);
    const started: { body: unknown; principal: string }[] = [];
    let conflict = true;
    const rollouts = {
      start: (body: unknown, principal: string): Promise<{ id: string }> => {
        if (conflict) {
          conflict = false;
          return Promise.reject(new WeirError('WEIR_ERR_ROLLOUT_CONFLICT', 'a rollout is running'));
        }
        started.push({ body, principal });
        return Promise.resolve({ id: 'r-1' });
      },
    };
    const pull = section({ mode: 'rollout' });
    const p = new BundlePuller({ section: pull, applier, rollouts, logger: log.logger, wallClock: () => NOW });
    pullers.push(p);
    server.body = bundle(7);
    await expect(p.poll()).resolves.toBe('failed');
    await expect(p.poll()).resolves.toBe('applied');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ principal: 'bundle:7', body: { config: { pull } } });
    expect(applier.applied).toHaveLength(0);
    expect(log.withMsg('bundle rollout started')).toEqual([expect.objectContaining({ revision: 7, rollout: 'r-1' })]);
  });

  it('stops at once during a stalled download, without waiting for the timeout', async () => {
    expect.assertions(2);
    server.stall = true;
    const p = puller(section({ timeoutMs: 60_000 }));
    const polled = p.poll();
    await waitFor(() => server.conditions.length === 1);
    const started = Date.now();
    await p.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(polled).resolves.toBe('failed');
  });

  it('polls at once when started, then on the schedule, backing off on failures', async () => {
    expect.assertions(3);
    const waits: number[] = [];
    let fire: (() => void) | null = null;
    server.status = 500;
    const p = new BundlePuller({
      section: section({ intervalMs: 1000, jitterMs: 0, maxBackoffMs: 3000 }),
      applier,
      logger: log.logger,
      wallClock: () => NOW,
      onPoll: (o) => outcomes.push(o),
      timers: {
        setTimeout: (fn, ms) => {
          waits.push(ms);
          fire = fn;
          return waits.length;
        },
        clearTimeout: () => undefined,
      },
    });
    pullers.push(p);
    p.start();
    for (let i = 0; i < 4; i++) {
      const polls = outcomes.length;
      (fire as unknown as () => void)();
      await waitFor(() => waits.length === i + 2 && outcomes.length === polls + 1);
    }
    expect(waits).toEqual([0, 1000, 2000, 3000, 3000]);
    server.status = null;
    server.body = bundle(1);
    (fire as unknown as () => void)();
    await waitFor(() => waits.length === 6);
    expect(waits[5]).toBe(1000);
    expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'applied']);
  });
});

/** Poll `condition` every 5 ms for at most 5 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
