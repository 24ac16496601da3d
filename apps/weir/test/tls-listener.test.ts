import { makeCertFiles, type CertFiles } from '../../../tools/jest/cert-files';
import * as fs from 'node:fs';
import type { CertificateConfig, WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { pollSample, sampleValue, scrape } from './harness/metrics';
import {
  closeSession,
  h2Send,
  h2Session,
  https1,
  listenerPort,
  presentedCertificate,
  type EdgeResponse,
} from './harness/tls-client';

/**
 * TLS listeners through the built daemon (issue 8), one daemon (2 workers) for the whole file:
 *
 * - SNI chooses the certificate of each handshake: exact name, one-label wildcard, and the
 *   listener's default certificate for an unknown name and for a client that sends no SNI;
 * - the expiry gauge reports every certificate of the served config;
 * - mutual TLS: no client certificate, or one from another CA, fails the handshake (and is
 *   counted); a certificate from the configured CA gets through;
 * - an apply whose key does not belong to its certificate is refused (400, pointer of
 *   `keyFile`) and the served certificate stays;
 * - a certificate swapped by an apply under a stream of new HTTPS connections: no request
 *   fails, new handshakes get the new certificate once the apply has returned, and an h2
 *   session opened before the swap keeps working.
 *
 * The tests share the daemon and run in order; only the last one changes the served certificate.
 */
const admin = testToken('ci', ['read', 'write']);

let certs: CertFiles;
/** A CA of its own and a client certificate it signed: not trusted by the mTLS listener. */
let stranger: CertFiles;
let file: ConfigFile | null = null;
let daemon: Daemon;
let tlsPort: number;
let mtlsPort: number;

function certificate(name: string, files: { cert: string; key: string }, keyFile = files.key): CertificateConfig {
  return { name, certFile: files.cert, keyFile };
}

/** The file's config; `a` is the certificate configured under the name `a`. */
function config(a: CertificateConfig): WeirConfig {
  return {
    ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'hello over tls' } }] }),
    listeners: [
      { name: 'tls', address: '127.0.0.1', port: 0, tls: { certificates: ['a', 'b', 'fallback'], defaultCertificate: 'fallback' } },
      { name: 'mtls', address: '127.0.0.1', port: 0, tls: { certificates: ['fallback'], clientAuth: { caFile: certs.files.ca.cert } } },
    ],
    certificates: [a, certificate('b', certs.files['b']!), certificate('fallback', certs.files['fallback']!)],
    admin: { tokens: [admin.entry] },
  };
}

beforeAll(async () => {
  certs = makeCertFiles([
    { name: 'a', names: ['a.example'] },
    // Same name, another key pair and serial: what a renewal looks like.
    { name: 'a-renewed', names: ['a.example'] },
    { name: 'b', names: ['*.b.example'] },
    { name: 'fallback', names: ['fallback.example'] },
    { name: 'client', names: ['client.example'] },
  ]);
  stranger = makeCertFiles([{ name: 'client', names: ['client.example'] }]);
  file = new ConfigFile(config(certificate('a', certs.files['a']!)));
  daemon = await Daemon.start({ configPath: file.path });
  tlsPort = listenerPort(daemon, 'tls');
  mtlsPort = listenerPort(daemon, 'mtls');
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  file?.remove();
  certs?.remove();
  stranger?.remove();
});

describe('TLS listener: certificate selection', () => {
  test('SNI picks the exact name, the wildcard, and the default certificate otherwise', async () => {
    expect.assertions(6);
    const present = (servername?: string) =>
      presentedCertificate(tlsPort, servername === undefined ? { ca: certs.ca } : { ca: certs.ca, servername });
    expect(await present('a.example')).toEqual({ cn: 'a.example', serial: certs.serial('a') });
    expect(await present('x.b.example')).toEqual({ cn: '*.b.example', serial: certs.serial('b') });
    // Case-insensitive, as DNS names are.
    expect(await present('A.Example')).toEqual({ cn: 'a.example', serial: certs.serial('a') });
    // A wildcard is one label deep: neither the bare suffix nor two labels match it.
    expect([await present('b.example'), await present('y.x.b.example')]).toEqual([
      { cn: 'fallback.example', serial: certs.serial('fallback') },
      { cn: 'fallback.example', serial: certs.serial('fallback') },
    ]);
    expect(await present('unknown.example')).toEqual({ cn: 'fallback.example', serial: certs.serial('fallback') });
    // No SNI at all (an IP literal as host): the default certificate.
    expect(await present(undefined)).toEqual({ cn: 'fallback.example', serial: certs.serial('fallback') });
  });

  test('HTTP/1.1 and h2 are both served, chosen by ALPN', async () => {
    expect.assertions(4);
    const h1 = await https1(tlsPort, { ca: certs.ca, servername: 'a.example' }, { authority: 'a.example' });
    expect([h1.status, h1.body.toString(), h1.alpn]).toEqual([200, 'hello over tls', 'http/1.1']);
    const session = await h2Session(tlsPort, { ca: certs.ca, servername: 'x.b.example' });
    try {
      const h2 = await h2Send(session, { authority: 'x.b.example' });
      expect([h2.status, h2.body.toString(), h2.alpn]).toEqual([200, 'hello over tls', 'h2']);
      expect(h2.serial).toBe(certs.serial('b'));
      expect(h1.serial).toBe(certs.serial('a'));
    } finally {
      await closeSession(session);
    }
  });

  test('the expiry gauge shows the seconds left for every certificate', async () => {
    expect.assertions(6);
    const body = await scrape(daemon, admin.token);
    // make-certs signs for 30 days from now.
    for (const name of ['a', 'b', 'fallback']) {
      const seconds = sampleValue(body, `weir_tls_certificate_expiry_seconds{certificate="${name}"}`) ?? Number.NaN;
      expect(seconds).toBeGreaterThan(29 * 86_400);
      expect(seconds).toBeLessThanOrEqual(31 * 86_400);
    }
  });
});

describe('TLS listener: mutual TLS', () => {
  const ERRORS = 'weir_tls_handshake_errors_total';

  test('a client without a certificate, or with one from another CA, fails the handshake and is counted', async () => {
    expect.assertions(5);
    const before = sampleValue(await scrape(daemon, admin.token), ERRORS) ?? 0;

    // TLS 1.3: the client's handshake completes before the server has checked its (missing)
    // certificate, so the refusal (alert 116, certificate required) arrives on the request.
    await expect(https1(mtlsPort, { ca: certs.ca, servername: 'fallback.example' }, { authority: 'fallback.example' })).rejects.toThrow();
    expect(await pollSample(daemon, admin.token, ERRORS, (v) => v >= before + 1)).toBe(before + 1);

    const foreign = { ca: certs.ca, servername: 'fallback.example', cert: readPem(stranger.files['client']!.cert), key: readPem(stranger.files['client']!.key) };
    await expect(https1(mtlsPort, foreign, { authority: 'fallback.example' })).rejects.toThrow();
    expect(await pollSample(daemon, admin.token, ERRORS, (v) => v >= before + 2)).toBe(before + 2);

    // The TLS listener without clientAuth does not ask for a certificate: nothing counted there.
    expect((await https1(tlsPort, { ca: certs.ca, servername: 'a.example' }, { authority: 'a.example' })).status).toBe(200);
  });

  test('a client certificate signed by the configured CA gets 200', async () => {
    expect.assertions(2);
    const client = { ca: certs.ca, servername: 'fallback.example', cert: readPem(certs.files['client']!.cert), key: readPem(certs.files['client']!.key) };
    const response = await https1(mtlsPort, client, { authority: 'fallback.example' });
    expect([response.status, response.body.toString()]).toEqual([200, 'hello over tls']);
    expect(response.serial).toBe(certs.serial('fallback'));
  });
});

describe('TLS listener: applying certificates', () => {
  test('an apply with the key of another certificate is 400 at its keyFile, and the old certificate keeps serving', async () => {
    expect.assertions(4);
    const wrongKey = config(certificate('a', certs.files['a-renewed']!, certs.files['b']!.key));
    const answer = await adminCall(daemon, 'POST', '/admin/config', { token: admin.token, body: wrongKey });
    expect(answer.status).toBe(400);
    expect(answer.json?.error).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/keyFile' });
    expect(await presentedCertificate(tlsPort, { ca: certs.ca, servername: 'a.example' })).toEqual({ cn: 'a.example', serial: certs.serial('a') });
    const status = await adminCall(daemon, 'GET', '/admin/status', { token: admin.token });
    expect(status.json.workers.map((w: { version: string }) => w.version)).toEqual([daemon.version, daemon.version]);
  });

  test('a certificate swapped under a stream of new HTTPS connections drops no request', async () => {
    expect.assertions(7);
    const oldSerial = certs.serial('a');
    const newSerial = certs.serial('a-renewed');
    expect(newSerial).not.toBe(oldSerial);

    // An h2 session negotiated before the swap, kept open across it.
    const session = await h2Session(tlsPort, { ca: certs.ca, servername: 'a.example' });
    try {
      expect((await h2Send(session, { authority: 'a.example' })).serial).toBe(oldSerial);

      const load = new HttpsLoad(tlsPort, certs.ca, 'a.example', { concurrency: 8, maxRequests: 400, maxDurationMs: 15_000 });
      let applied: Awaited<ReturnType<typeof adminCall>>;
      let appliedAt: number;
      try {
        await load.waitForCount(150, 10_000);
        applied = await adminCall(daemon, 'POST', '/admin/config', {
          token: admin.token,
          body: config(certificate('a', certs.files['a-renewed']!)),
        });
        appliedAt = load.started;
        await load.waitForCount(appliedAt + 150, 10_000);
      } finally {
        await load.stop();
      }
      const samples = load.samples;

      expect(applied.status).toBe(200);
      // Zero failed requests, whichever certificate each connection got.
      expect(samples.filter((s) => s.error !== null || s.status !== 200).map((s) => s.error ?? s.status)).toEqual([]);
      // The stream really straddled the swap: it began on the old certificate...
      expect(samples.some((s) => s.index < appliedAt && s.serial === oldSerial)).toBe(true);
      // ...and every connection started after the apply returned got the new one.
      expect(new Set(samples.filter((s) => s.index >= appliedAt).map((s) => s.serial))).toEqual(new Set([newSerial]));
      // The session negotiated before the swap still serves (it keeps the certificate it has).
      const after = await h2Send(session, { authority: 'a.example' });
      expect([after.status, after.body.toString(), after.serial]).toEqual([200, 'hello over tls', oldSerial]);
    } finally {
      await closeSession(session);
    }
  }, 60_000);
});

function readPem(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** One request of an {@link HttpsLoad}: its start order, and what came back. */
interface HttpsSample {
  readonly index: number;
  readonly status: number;
  readonly serial: string;
  readonly error: string | null;
}

/**
 * A bounded closed-loop HTTPS/1.1 load: `concurrency` clients each send a GET on a new TLS
 * connection (a full handshake every time), until `stop()`, `maxRequests` or `maxDurationMs`.
 */
class HttpsLoad {
  readonly samples: HttpsSample[] = [];
  /** Requests started so far (a request's `index` is its start order). */
  started = 0;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly deadline: number;

  constructor(
    private readonly port: number,
    private readonly ca: string,
    private readonly servername: string,
    private readonly limits: { concurrency: number; maxRequests: number; maxDurationMs: number },
  ) {
    this.deadline = Date.now() + limits.maxDurationMs;
    for (let i = 0; i < limits.concurrency; i++) this.loops.push(this.loop());
  }

  /** Resolves once `count` requests have finished; rejects after `timeoutMs` or when the load ended short. */
  async waitForCount(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 10_000 && this.samples.length < count; i++) {
      if (Date.now() > deadline || this.ended()) {
        throw new Error(`HTTPS load: ${this.samples.length}/${count} requests finished (${this.started} started)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async stop(): Promise<HttpsSample[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.samples;
  }

  private ended(): boolean {
    return this.started >= this.limits.maxRequests || Date.now() >= this.deadline;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.ended()) {
      const index = this.started++;
      let sample: HttpsSample;
      try {
        const r: EdgeResponse = await https1(this.port, { ca: this.ca, servername: this.servername }, { authority: this.servername });
        sample = { index, status: r.status, serial: r.serial, error: null };
      } catch (err) {
        sample = { index, status: 0, serial: '', error: (err as NodeJS.ErrnoException).code ?? String(err) };
      }
      this.samples.push(sample);
    }
  }
}
