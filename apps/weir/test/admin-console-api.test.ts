import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken, type AdminAnswer } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { answerWithName, closeAll, TestUpstream } from './harness/upstreams';

/**
 * The admin API the operator console reads (issue 17), against the built daemon with 2 real
 * workers: `GET /admin/upstreams` merges the primary's health checks with the workers' state,
 * `GET /admin/stats` samples request rates, and `GET /admin/status?wait=` long-polls on its
 * ETag. Every wait is a bounded poll, never a fixed sleep.
 */
const writer = testToken('ci', ['read', 'write']);
const reader = testToken('console', ['read']);

/**
 * Run `probe` until `done` holds of its answer, or fail after `timeoutMs` or 500 rounds. No
 * sleep between rounds: each probe does work of its own (it sends requests) before it reads.
 */
async function until(probe: () => Promise<AdminAnswer>, done: (a: AdminAnswer) => boolean, timeoutMs = 15_000): Promise<AdminAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; ; round++) {
    const answer = await probe();
    if (done(answer)) return answer;
    if (Date.now() > deadline || round >= 500) throw new Error(`condition not met within ${timeoutMs} ms; last answer: ${answer.text}`);
  }
}

describe('admin API for the console, end to end', () => {
  let upstreams: TestUpstream[] = [];
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  const handler = (req: IncomingMessage, res: ServerResponse, upstream: TestUpstream): void => {
    if (req.url === '/healthz') res.writeHead(200).end();
    else answerWithName(req, res, upstream);
  };

  const configFor = (routeName: string): WeirConfig => ({
    ...proxyConfig({
      routes: [{ name: routeName, upstream: 'app' }],
      upstreams: [
        {
          name: 'app',
          endpoints: upstreams.map((u) => ({ address: u.address })),
          healthCheck: { intervalMs: 100, jitterMs: 0, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, initialState: 'healthy' },
          circuitBreaker: { failureRatio: { threshold: 0.5 } },
        },
      ],
    }),
    admin: { tokens: [writer.entry, reader.entry] },
  });

  beforeAll(async () => {
    upstreams = await Promise.all(['a', 'b'].map((name) => TestUpstream.start(name, handler)));
    file = new ConfigFile(configFor('app'));
    daemon = await Daemon.start({ configPath: file.path });
  });

  afterAll(async () => {
    await daemon?.stop();
    await closeAll(upstreams);
    file?.remove();
  });

  const d = (): Daemon => daemon as Daemon;
  const read = (path: string, headers?: Record<string, string>): Promise<AdminAnswer> =>
    adminCall(d(), 'GET', path, { token: reader.token, ...(headers === undefined ? {} : { headers }) });

  test('stats shows a request rate once traffic flows', async () => {
    expect.assertions(3);
    const first = await read('/admin/stats?seconds=60');
    expect([first.status, first.json.intervalMs]).toEqual([200, 2000]);
    const answer = await until(
      async () => {
        for (let i = 0; i < 10; i++) await send(d().port, { path: '/work' });
        return read('/admin/stats?seconds=60');
      },
      (a) => a.json.samples.some((s: { requestsPerSecond: number }) => s.requestsPerSecond > 0),
    );
    const busy = answer.json.samples.find((s: { requestsPerSecond: number }) => s.requestsPerSecond > 0);
    expect(busy).toMatchObject({ at: expect.any(String), errorRatio: 0, arms: { stable: { requestsPerSecond: expect.any(Number) }, candidate: null } });
    expect(busy.p99Seconds).toBeGreaterThan(0);
  }, 60_000);

  test('a held ?wait= status answers soon after an apply, and 304 at its timeout when nothing changed', async () => {
    expect.assertions(5);
    const before = await read('/admin/status');
    const etag = before.headers.etag as string;
    expect(etag).toMatch(/^W\/"s-[0-9a-f]{16}"$/);
    const held = read('/admin/status?wait=30', { 'if-none-match': etag }).then((answer) => ({ answer, at: Date.now() }));
    const applied = await adminCall(d(), 'POST', '/admin/config', { token: writer.token, body: configFor('renamed') });
    const appliedAt = Date.now();
    expect(applied.json).toMatchObject({ changed: true });
    const { answer, at } = await held;
    expect([answer.status, answer.json.config.version]).toEqual([200, applied.json.version]);
    expect(at - appliedAt).toBeLessThan(2_000);

    const quiet = await read('/admin/status?wait=1', { 'if-none-match': answer.headers.etag as string });
    expect([quiet.status, quiet.text]).toEqual([304, '']);
  }, 60_000);

  test('upstreams shows an endpoint unhealthy once its server is closed, with the workers\' fields', async () => {
    expect.assertions(3);
    const healthy = await read('/admin/upstreams');
    expect(healthy.json.upstreams).toEqual([
      {
        name: 'app',
        balancer: 'round_robin',
        breaker: 'closed',
        endpoints: upstreams.map((u) => ({ address: u.address, weight: 1, health: 'healthy', ejectedWorkers: 0, workers: 2, inFlight: 0 })),
      },
    ]);
    const address = (upstreams[1] as TestUpstream).address;
    const since = d().logs.length;
    await (upstreams[1] as TestUpstream).close();
    // The primary's health checker logs the change: read the API once it has happened.
    await d().waitForLog((line) => line.msg === 'endpoint health changed' && line['endpoint'] === address && line['healthy'] === false, 15_000, since);
    const down = await read('/admin/upstreams');
    expect(down.json.version).toBe((await read('/admin/status')).json.config.version);
    expect(down.json.upstreams[0].endpoints[1]).toEqual({
      address: (upstreams[1] as TestUpstream).address,
      weight: 1,
      health: 'unhealthy',
      ejectedWorkers: expect.any(Number),
      workers: 2,
      inFlight: expect.any(Number),
    });
  }, 60_000);
});
