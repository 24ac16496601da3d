import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon, type LogLine } from './harness/daemon';
import { answerWithName, closeAll, TestUpstream } from './harness/upstreams';

/**
 * Active health checks end to end (issue 4): the primary checks each endpoint once for the whole
 * host and the workers' balancers follow its verdicts. An endpoint whose /healthz fails stops
 * receiving traffic; once /healthz passes again, it gets its share back.
 *
 * Synchronisation: health transitions are awaited as the primary's `endpoint health changed`
 * log lines; then a `/metrics` scrape, which asks every worker over the same ordered IPC channel
 * the health update took, proves every worker has applied it before traffic is sent.
 */
describe('active health checks', () => {
  const reader = testToken('dash', ['read']);
  /** Endpoints whose /healthz answers 503. */
  const failing = new Set<string>();
  let upstreams: TestUpstream[] = [];
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  const handler = (req: IncomingMessage, res: ServerResponse, upstream: TestUpstream): void => {
    if (req.url !== '/healthz') {
      answerWithName(req, res, upstream);
      return;
    }
    res.writeHead(failing.has(upstream.name) ? 503 : 200).end();
  };

  beforeAll(async () => {
    upstreams = await Promise.all(['a', 'b', 'c'].map((name) => TestUpstream.start(name, handler)));
    config = new ConfigFile({
      ...proxyConfig({
        routes: [{ name: 'app', upstream: 'app' }],
        upstreams: [
          {
            name: 'app',
            endpoints: upstreams.map((u) => ({ address: u.address })),
            healthCheck: { intervalMs: 100, jitterMs: 0, timeoutMs: 1000, healthyThreshold: 2, unhealthyThreshold: 2, initialState: 'healthy' },
          },
        ],
      }),
      admin: { tokens: [reader.entry] },
    });
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await closeAll(upstreams);
    config?.remove();
  });

  const d = (): Daemon => daemon as Daemon;
  const b = (): TestUpstream => upstreams[1] as TestUpstream;
  const traffic = (u: TestUpstream): number => u.requests.filter((r) => r.url !== '/healthz').length;
  const transition = (healthy: boolean) => (line: LogLine) =>
    line.msg === 'endpoint health changed' && line['endpoint'] === b().address && line['healthy'] === healthy;

  /** A scrape: a round trip to every worker behind any health message already sent. */
  async function scrape(): Promise<string> {
    const answer = await adminCall(d(), 'GET', '/metrics', { token: reader.token });
    expect(answer.status).toBe(200);
    return answer.text;
  }

  async function spread(requests: number): Promise<number> {
    const before = traffic(b());
    for (let i = 0; i < requests; i++) expect((await send(d().port, { path: '/work' })).status).toBe(200);
    return traffic(b()) - before;
  }

  test('an endpoint failing /healthz stops receiving traffic, and gets it back once healthy', async () => {
    expect.hasAssertions();
    expect(await spread(12)).toBeGreaterThan(0);

    failing.add('b');
    await d().nextLog(transition(false));
    expect(await scrape()).toContain(`weir_upstream_endpoint_healthy{upstream="app",endpoint="${b().address}"} 0`);
    expect(await spread(18)).toBe(0);

    failing.delete('b');
    await d().nextLog(transition(true));
    expect(await scrape()).toContain(`weir_upstream_endpoint_healthy{upstream="app",endpoint="${b().address}"} 1`);
    expect(await spread(18)).toBeGreaterThan(0);
  });

  test('a restarted worker starts with the current health table', async () => {
    expect.hasAssertions();
    failing.add('b');
    await d().nextLog(transition(false));
    await scrape();
    const victim = d().liveWorkerPids()[0] as number;
    const replaced = d().nextLog((l) => l.msg === 'worker ready' && l['workerPid'] !== victim, 20_000);
    process.kill(victim, 'SIGKILL');
    await replaced;
    // Every request, whichever worker takes it, avoids b: the new worker got the table with its
    // snapshot, before it served anything.
    expect(await spread(18)).toBe(0);
    failing.delete('b');
    await d().nextLog(transition(true));
  });

  test('checks run once per host, not once per worker', async () => {
    expect.hasAssertions();
    const a = upstreams[0] as TestUpstream;
    const text = await scrape();
    const count = (result: string): number => {
      const m = new RegExp(`weir_health_checks_total\\{upstream="app",endpoint="${a.address.replace(/\./g, '\\.')}",result="${result}"\\} (\\d+)`).exec(text);
      return m === null ? 0 : Number(m[1]);
    };
    const checked = count('success') + count('failure');
    const probes = a.requests.filter((r) => r.url === '/healthz').length;
    expect(checked).toBeGreaterThanOrEqual(3);
    // With 2 workers each checking, probes would be twice the checks. Probes are counted after
    // the scrape, so up to two more (one finished since, one in flight) may show.
    expect(probes - checked).toBeGreaterThanOrEqual(0);
    expect(probes - checked).toBeLessThanOrEqual(2);
  });
});
