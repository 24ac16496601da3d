import * as fs from 'node:fs';
import * as path from 'node:path';
import { Load } from '../../weir/test/harness/load';
import { TestUpstream, closeAll } from '../../weir/test/harness/upstreams';
import { upstream } from '../../weir/test/harness/config-file';
import { runCli, type CliResult } from './support/run-cli';
import { startWeir, testToken, weirConfig, type WeirUnderTest } from './support/weir-daemon';

/**
 * `weirctl rollout` against the real built daemon with 2 workers and live traffic: the exit code
 * is the verdict (0 promoted, 3 aborted by the analysis), 4 for a conflict, 7 when a wait times
 * out, and the operator actions move the rollout.
 */
const roller = testToken('ci', ['read', 'write', 'rollout']);

describe('weirctl rollout against the daemon', () => {
  let weir: WeirUnderTest;
  let load: Load;
  let ups: TestUpstream[];
  const parts = (route: string) => ({
    tokens: [roller],
    workers: 2,
    routes: [{ name: 'api', upstream: route }],
    upstreams: ups.map((u) => upstream(u.name, u.address)),
  });
  const file = (name: string, route: string): string => {
    const p = path.join(weir.file.dir, name);
    fs.writeFileSync(p, JSON.stringify(weirConfig(parts(route)), null, 2));
    return p;
  };
  const cli = (...argv: string[]): Promise<CliResult> => runCli(argv, { env: { WEIR_ADMIN_URL: weir.url, WEIR_TOKEN: roller.token } });

  beforeAll(async () => {
    const bad = await TestUpstream.start('bad', (req, res) => {
      req.resume();
      res.writeHead(500, { 'content-length': 4 });
      res.end('boom');
    });
    ups = [await TestUpstream.start('blue'), await TestUpstream.start('green'), bad];
    weir = await startWeir(parts('blue'));
    load = new Load({ port: weir.daemon.port, concurrency: 6, maxDurationMs: 90_000 });
  }, 60_000);

  afterAll(async () => {
    await load?.stop();
    await weir?.stop();
    await closeAll(ups);
  });

  test('a candidate whose upstream answers 500 is aborted by the analysis: exit 3', async () => {
    expect.assertions(2);
    const result = await cli('rollout', 'start', file('bad.json', 'bad'), '--stages', '10,100', '--bake', '60s', '--min-requests', '10', '--wait', '--timeout', '60s');
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toMatch(/abort/i);
  }, 70_000);

  test('a healthy candidate is promoted through every stage: exit 0, and it is the running config', async () => {
    expect.assertions(2);
    // A loaded test machine makes latency noisy: only the error rate may decide here.
    const result = await cli('rollout', 'start', file('green.json', 'green'), '--stages', '25,100', '--bake', '1s', '--min-requests', '5', '--p99-tolerance-ms', '5000', '--wait', '--timeout', '60s');
    expect(result.code).toBe(0);
    const versions = await cli('versions', '--json');
    expect(versions.json.versions[0]).toMatchObject({ source: 'rollout', principal: 'ci' });
  }, 70_000);

  test('a second rollout and a plain apply during one are conflicts (4); wait times out (7); abort ends it (0)', async () => {
    expect.assertions(5);
    // A candidate that differs from whatever runs (earlier tests may have promoted or not), and
    // that no analysis can judge within the test (a million requests needed).
    const started = await cli('rollout', 'start', file('bad2.json', 'bad'), '--stages', '50', '--bake', '1h', '--min-requests', '1000000', '--json');
    expect(started.code).toBe(0);
    expect((await cli('rollout', 'start', file('blue2.json', 'blue'), '--stages', '50')).code).toBe(4);
    expect((await cli('apply', file('blue3.json', 'blue'))).code).toBe(4);
    expect((await cli('rollout', 'wait', started.json.id, '--timeout', '1s')).code).toBe(7);
    expect((await cli('rollout', 'abort', started.json.id)).code).toBe(0);
  }, 70_000);
});
