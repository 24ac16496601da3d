import * as net from 'node:net';
import type { WeirConfig } from '@weir/config';
import { adminCall, adminPort, testToken, type AdminAnswer } from './harness/admin-client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';

/**
 * Issue 15, found by trying as a hostile local user against the built daemon (2 workers,
 * loopback):
 *
 * 1. 1,100 TCP connections to the admin port that sent nothing filled its connection cap
 *    (node:http `maxConnections` 1024, which refuses the *newest* connection): `/admin/health`
 *    got connection resets for 22-29 s (until node's 30 s connection check enforced the header
 *    timeout), and repeating the flood kept it down. Now a connection at the cap sheds the
 *    oldest unauthenticated one, and header-less connections close 10 s after their accept.
 * 2. After 10 bad tokens from one address, a valid token got 429 too, so one local process
 *    sending a bad token every 6 s kept operators and Prometheus out. Now only failures are
 *    throttled; a token that verifies is always served.
 */
const reader = testToken('prometheus', ['read']);
/** Well-formed, 256 bits, configured nowhere. */
const guess = testToken('attacker', ['read']).token;

const FLOOD = 1_100;
/** The admin server's default connection cap. */
const CAP = 1_024;
const BATCH = 100;

function config(): WeirConfig {
  return { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'x' } }] }), admin: { tokens: [reader.entry] } };
}

/** `promise`, or a rejection naming `what` after `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('admin API hardening (issue 15)', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let flood: net.Socket[] = [];

  beforeAll(async () => {
    file = new ConfigFile(config());
    daemon = await Daemon.start({ configPath: file.path });
  }, 60_000);

  afterEach(async () => {
    const closing = flood.map((s) => (s.closed ? Promise.resolve() : new Promise<void>((resolve) => s.once('close', () => resolve()))));
    for (const socket of flood) socket.destroy();
    await within(5_000, 'closing the flood sockets', Promise.all(closing));
    flood = [];
  });

  afterAll(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  test('GET /admin/health and an authenticated GET /admin/status are answered during a flood of 1,100 silent connections', async () => {
    expect.assertions(5);
    const d = daemon as Daemon;
    const port = adminPort(d);
    const closedByServer: number[] = [];
    let shedAll!: () => void;
    const enoughShed = new Promise<void>((resolve) => (shedAll = resolve));
    const open = (index: number): Promise<void> =>
      new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        flood.push(socket);
        socket.on('error', () => undefined);
        socket.resume();
        socket.once('close', () => {
          closedByServer.push(index);
          if (closedByServer.length === FLOOD - CAP) shedAll();
        });
        socket.once('connect', () => resolve());
        socket.once('error', () => resolve());
      });
    // 11 batches of 100 connects, in order: a batch is accepted before the next one starts.
    await within(10_000, 'opening the flood', (async () => {
      for (let first = 0; first < FLOOD; first += BATCH) {
        await Promise.all(Array.from({ length: BATCH }, (_, i) => open(first + i)));
      }
    })());
    await within(5_000, `the server closing ${FLOOD - CAP} flood connections`, enoughShed);
    // The oldest connections made room; old code kept them and refused the newest instead.
    expect(closedByServer.slice(0, FLOOD - CAP).every((index) => index < BATCH)).toBe(true);

    const health: AdminAnswer = await adminCall(d, 'GET', '/admin/health');
    expect([health.status, health.json]).toEqual([200, { status: 'ok' }]);
    const status = await adminCall(d, 'GET', '/admin/status', { token: reader.token });
    expect([status.status, status.json.workers.length]).toEqual([200, 2]);
    // Still a flood: each answered call displaced one more of the oldest silent connections.
    expect(flood.filter((s) => !s.destroyed).length).toBeGreaterThanOrEqual(CAP - 2);
    expect(flood[FLOOD - 1]?.destroyed).toBe(false);
  }, 30_000);

  test('a failed-auth storm from 127.0.0.1 is throttled, while valid tokens from the same address keep getting 200', async () => {
    expect.assertions(6);
    const d = daemon as Daemon;
    const bad: AdminAnswer[] = [];
    const good: number[] = [];
    for (let i = 0; i < 50; i++) {
      bad.push(await adminCall(d, 'GET', '/admin/status', { token: guess }));
      if (i % 5 === 4) good.push((await adminCall(d, 'GET', '/admin/status', { token: reader.token })).status);
    }
    expect(bad.map((a) => a.status)).toEqual([...Array(10).fill(401), ...Array(40).fill(429)]);
    expect(good).toEqual(Array(10).fill(200));
    const limited = bad[49] as AdminAnswer;
    expect([limited.json.error.code, limited.headers['retry-after']]).toEqual(['WEIR_ERR_ADMIN_RATE_LIMITED', '6']);
    expect((bad[0] as AdminAnswer).json.error.code).toBe('WEIR_ERR_ADMIN_UNAUTHORIZED');
    // The scrape Prometheus makes, from the throttled address.
    const scrape = await adminCall(d, 'GET', '/metrics', { token: reader.token });
    expect(scrape.status).toBe(200);
    const tenth = await d.waitForLog((l) => l.msg === 'admin auth failed' && d.logs.filter((m) => m.msg === 'admin auth failed').length >= 10);
    expect(tenth).toMatchObject({ level: 'warn', remoteAddress: '127.0.0.1', reason: 'unknown token' });
  }, 30_000);
});
