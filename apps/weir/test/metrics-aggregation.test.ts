import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon } from './harness/daemon';

/**
 * `GET /metrics` on the primary aggregates every worker (issue 3): after N requests spread over
 * 2 workers, the aggregated request counter and histogram count are exactly N, plus the primary's
 * own control-plane metrics. When a worker is killed and replaced, the counters do not go
 * backwards (the dead process's last scraped values are kept) and keep counting from there.
 */
const reader = testToken('prometheus', ['read']);

function config(): WeirConfig {
  return { ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }] }), admin: { tokens: [reader.entry] } };
}

/** The value of the exposition line `series value`, or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const REQUESTS = 'weir_requests_total{route="hello",upstream="",status="200",arm="stable"}';
const DURATIONS = 'weir_request_duration_seconds_count{route="hello",upstream="",arm="stable"}';

describe('aggregated /metrics', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  const scrape = async (d: Daemon): Promise<string> => {
    const answer = await adminCall(d, 'GET', '/metrics', { token: reader.token });
    expect(answer.status).toBe(200);
    return answer.text;
  };

  const sendMany = async (d: Daemon, count: number): Promise<void> => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await send(d.port, { path: `/n${i}` })).status);
    expect(statuses).toEqual(new Array<number>(count).fill(200));
  };

  it('equals the sum of the workers traffic, and never goes backwards when a worker is killed', async () => {
    expect.assertions(15);
    file = new ConfigFile(config());
    const d = await Daemon.start({ configPath: file.path });
    daemon = d;

    await sendMany(d, 40);
    let body = await scrape(d);
    expect(sample(body, REQUESTS)).toBe(40);
    expect(sample(body, DURATIONS)).toBe(40);
    expect(sample(body, 'weir_workers{state="ready"}')).toBe(2);
    expect(sample(body, 'weir_config_applies_total{source="file",outcome="applied"}')).toBe(1);
    expect(sample(body, 'weir_config_info{version="' + String(d.version) + '"}')).toBe(1);

    // Kill one worker; wait until its replacement serves.
    const victim = d.liveWorkerPids()[0] as number;
    const replaced = d.nextLog((l) => l.msg === 'worker ready' && l['workerPid'] !== victim, 20_000);
    process.kill(victim, 'SIGKILL');
    await replaced;
    body = await scrape(d);
    expect(sample(body, REQUESTS)).toBe(40);
    expect(sample(body, DURATIONS)).toBe(40);
    expect(sample(body, 'weir_worker_restarts_total')).toBe(1);

    await sendMany(d, 10);
    body = await scrape(d);
    expect(sample(body, REQUESTS)).toBe(50);
    expect(sample(body, DURATIONS)).toBe(50);
  }, 90_000);
});
