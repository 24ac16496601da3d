import { performance } from 'node:perf_hooks';
import type { WeirConfig } from '@weir/config';
import { describeWithRedis, startRedisServer, type RedisServerHandle } from '../../../tools/jest/redis-server';
import { send, type SimpleResponse } from './harness/client';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { TestUpstream } from './harness/upstreams';

/**
 * Global rate limits (issue 9): two Weir daemons (two "hosts", two workers each) share one real
 * redis-server and together admit the configured rate; with Redis gone, `onRedisFailure` decides
 * (`closed`: 429 at once).
 */
describeWithRedis()('global rate limits on Redis', () => {
  let redis: RedisServerHandle;
  let origin: TestUpstream;
  const daemons: Daemon[] = [];
  const files: ConfigFile[] = [];

  beforeAll(async () => {
    redis = (await startRedisServer()) as RedisServerHandle;
    origin = await TestUpstream.start('origin');
  });
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
    for (const f of files.splice(0)) f.remove();
  });
  afterAll(async () => {
    await origin.close();
    await redis?.stop();
  });

  const config = (onRedisFailure: 'open' | 'closed', keyPrefix: string): WeirConfig => ({
    ...proxyConfig({
      workers: 2,
      routes: [
        {
          name: 'shared',
          upstream: 'origin',
          limits: { rate: [{ name: 'shared', rate: 20, burst: 10, key: { kind: 'route' }, scope: 'global' }] },
        },
      ],
      upstreams: [upstream('origin', origin.address)],
    }),
    globalLimits: { redis: `127.0.0.1:${redis.port}`, onRedisFailure, keyPrefix },
  });

  const start = async (c: WeirConfig): Promise<Daemon> => {
    const file = new ConfigFile(c);
    files.push(file);
    const daemon = await Daemon.start({ configPath: file.path });
    daemons.push(daemon);
    return daemon;
  };

  /** Sends GETs to both daemons in turn, four lanes, for about `ms`. */
  async function load(ports: readonly number[], ms: number): Promise<SimpleResponse[]> {
    const out: SimpleResponse[] = [];
    const until = performance.now() + ms;
    const lane = async (i: number): Promise<void> => {
      for (let n = 0; n < 10_000 && performance.now() < until; n++) out.push(await send(ports[(i + n) % ports.length] as number, { path: '/' }));
    };
    await Promise.all([0, 1, 2, 3].map(lane));
    return out;
  }

  test('two daemons sharing one Redis admit the global rate between them', async () => {
    const prefix = `weir:test:${Date.now()}:`;
    const a = await start(config('open', prefix));
    const b = await start(config('open', prefix));
    const started = performance.now();
    const responses = await load([a.port, b.port], 2000);
    const seconds = (performance.now() - started) / 1000;
    const admitted = responses.filter((r) => r.status === 200).length;
    const allowed = 10 + 20 * seconds;
    // Two hosts with a host-local limit each would admit about twice this.
    expect(admitted).toBeLessThanOrEqual(Math.ceil(allowed * 1.2) + 4);
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(responses.some((r) => r.status === 429 && r.headers['x-weir-error'] === 'WEIR_ERR_RATE_LIMITED')).toBe(true);
  }, 60_000);

  test('with Redis unreachable, onRedisFailure "closed" answers 429', async () => {
    const own = (await startRedisServer()) as RedisServerHandle;
    const c = config('closed', 'weir:closed:');
    const daemon = await start({ ...c, globalLimits: { ...c.globalLimits!, redis: `127.0.0.1:${own.port}` } });
    await own.stop();
    let answer = await send(daemon.port, { path: '/' });
    // Leases already held may admit a few; once they are spent, every request is refused.
    for (let i = 0; i < 200 && answer.status === 200; i++) answer = await send(daemon.port, { path: '/' });
    expect(answer.status).toBe(429);
  }, 60_000);
});
