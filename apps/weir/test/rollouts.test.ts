import type { WeirConfig } from '@weir/config';
import { adminCall, testToken, type AdminAnswer } from './harness/admin-client';
import { send } from './harness/client';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { Load } from './harness/load';
import { TestUpstream, closeAll } from './harness/upstreams';

/**
 * Issue 11: staged rollouts against the built daemon with 2 workers. A healthy candidate goes
 * through every stage and is promoted; a candidate whose route answers 500 is aborted by the
 * analysis at its first stage while clients see failures only from the candidate's share; a
 * plain apply during a rollout is 409; pause, resume, promote and abort; a primary restart ends
 * a live rollout.
 */
const operator = testToken('ci', ['read', 'write', 'rollout']);
const reader = testToken('viewer', ['read']);

function base(routeUpstream: string, upstreams: WeirConfig['upstreams']): WeirConfig {
  return {
    ...proxyConfig({ routes: [{ name: 'api', upstream: routeUpstream }], upstreams }),
    admin: { tokens: [operator.entry, reader.entry] },
  };
}

/** Follow a rollout with long polls until it ends (bounded by `maxPolls`). */
async function followToEnd(d: Daemon, id: string, maxPolls = 120): Promise<AdminAnswer> {
  let answer = await adminCall(d, 'GET', `/admin/rollouts/${id}`, { token: reader.token });
  for (let i = 0; i < maxPolls && (answer.json.state === 'running' || answer.json.state === 'paused'); i++) {
    answer = await adminCall(d, 'GET', `/admin/rollouts/${id}?wait=5`, { token: reader.token });
  }
  return answer;
}

/** Long-poll until `predicate` holds for the rollout (bounded). */
async function waitUntil(d: Daemon, id: string, predicate: (r: any) => boolean, maxPolls = 60): Promise<any> {
  let r = (await adminCall(d, 'GET', `/admin/rollouts/${id}`, { token: reader.token })).json;
  for (let i = 0; i < maxPolls && !predicate(r); i++) r = (await adminCall(d, 'GET', `/admin/rollouts/${id}?wait=5`, { token: reader.token })).json;
  return r;
}

describe('staged rollouts (built daemon, 2 workers)', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  let load: Load | null = null;
  let ups: TestUpstream[] = [];

  /**
   * Two upstreams, blue (running) and green, and the daemon on a config routing to blue. With
   * `keepState` the state directory is the config file's, so a restarted daemon finds it.
   */
  async function startBlueGreen(keepState = false): Promise<{ d: Daemon; stable: WeirConfig; candidate: WeirConfig }> {
    const [blue, green] = await Promise.all([TestUpstream.start('blue'), TestUpstream.start('green')]);
    ups = [blue!, green!];
    const stable = base('blue', [upstream('blue', blue!.address), upstream('green', green!.address)]);
    file = new ConfigFile(stable);
    daemon = await Daemon.start(keepState ? { configPath: file.path, stateDir: file.dir } : { configPath: file.path });
    return { d: daemon, stable, candidate: { ...stable, routes: [{ name: 'api', upstream: 'green' }] } };
  }

  afterEach(async () => {
    await load?.stop();
    load = null;
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
    await closeAll(ups);
    ups = [];
  });

  test('a healthy candidate goes through every stage and is promoted', async () => {
    expect.assertions(8);
    const { d, stable, candidate } = await startBlueGreen();
    load = new Load({ port: d.port, concurrency: 8, maxDurationMs: 60_000 });
    const started = await adminCall(d, 'POST', '/admin/rollouts', {
      token: operator.token,
      // A loaded test machine makes latency noisy: only the error rate may decide here.
      body: { config: candidate, stages: [{ percent: 10, bakeSeconds: 1 }, { percent: 50, bakeSeconds: 1 }, { percent: 100, bakeSeconds: 1 }], analysis: { minRequests: 5, p99ToleranceMs: 5000 } },
    });
    expect(started.status).toBe(201);
    expect(started.headers.location).toBe(`/admin/rollouts/${started.json.id}`);
    // A plain apply while the rollout runs is refused.
    const apply = await adminCall(d, 'POST', '/admin/config', { token: operator.token, body: stable });
    expect([apply.status, apply.json.error.code]).toEqual([409, 'WEIR_ERR_ROLLOUT_CONFLICT']);
    const end = await followToEnd(d, started.json.id);
    expect(end.json.state).toBe('promoted');
    expect(end.json.events.map((e: { event: string }) => e.event)).toEqual(['started', 'advanced', 'advanced', 'promoted']);
    const running = await adminCall(d, 'GET', '/admin/config', { token: reader.token });
    expect(running.headers.etag).toBe(`"${started.json.candidateVersion}"`);
    const versions = await adminCall(d, 'GET', '/admin/config/versions', { token: reader.token });
    expect(versions.json.versions[0]).toMatchObject({ source: 'rollout', principal: 'ci', version: started.json.candidateVersion });
    const samples = await load.stop();
    load = null;
    expect(samples.filter((s) => s.failed)).toEqual([]);
  }, 90_000);

  test('a candidate answering 500 is aborted at its first stage; only its share failed, nothing after', async () => {
    expect.assertions(6);
    const good = await TestUpstream.start('good');
    const bad = await TestUpstream.start('bad', (req, res) => {
      req.resume();
      res.writeHead(500, { 'content-length': 4 });
      res.end('boom');
    });
    ups = [good, bad];
    const stable = base('good', [upstream('good', good.address), upstream('bad', bad.address)]);
    file = new ConfigFile(stable);
    daemon = await Daemon.start({ configPath: file.path });
    const d = daemon;
    load = new Load({ port: d.port, concurrency: 8, maxDurationMs: 60_000 });
    await load.waitFor(50, 0, 20_000);
    const startEpoch = load.nextEpoch();
    const started = await adminCall(d, 'POST', '/admin/rollouts', {
      token: operator.token,
      body: { config: { ...stable, routes: [{ name: 'api', upstream: 'bad' }] }, stages: [{ percent: 10, bakeSeconds: 60 }, { percent: 100, bakeSeconds: 60 }], analysis: { minRequests: 10 } },
    });
    expect(started.status).toBe(201);
    const end = await followToEnd(d, started.json.id);
    const afterEpoch = load.nextEpoch();
    expect(end.json.state).toBe('aborted');
    expect(end.json.outcome).toMatchObject({ result: 'aborted', by: 'analysis' });
    await load.waitFor(200, afterEpoch, 20_000);
    const samples = await load.stop();
    load = null;
    const during = samples.filter((s) => s.epoch === startEpoch);
    const failedDuring = during.filter((s) => s.failed).length;
    // The first stage's share (10%) times the candidate's error rate (100%), with room for chance.
    expect(failedDuring / during.length).toBeLessThan(0.2);
    expect(samples.filter((s) => s.epoch >= afterEpoch && s.failed)).toEqual([]);
    // Stable kept serving throughout, and still does.
    expect((await send(d.port)).body).toBe('good');
  }, 90_000);

  test('pause, resume, promote past a gate and abort, by an operator; rollouts need the rollout scope', async () => {
    expect.assertions(9);
    const { d, candidate } = await startBlueGreen();
    const body = { config: candidate, stages: [{ percent: 50, bakeSeconds: 1, pause: true }, { percent: 100, bakeSeconds: 3600 }], sticky: { header: 'x-user' }, analysis: { minRequests: 1, p99ToleranceMs: 5000 } };
    const denied = await adminCall(d, 'POST', '/admin/rollouts', { token: reader.token, body });
    expect(denied.status).toBe(403);
    const started = await adminCall(d, 'POST', '/admin/rollouts', { token: operator.token, body });
    const id = started.json.id as string;
    load = new Load({ port: d.port, concurrency: 4, maxDurationMs: 60_000 });
    // The gate: once the 50% stage has baked with a healthy verdict, the rollout waits.
    const gated = await waitUntil(d, id, (r) => r.state === 'paused');
    expect([gated.state, gated.pausedBy, gated.stage]).toEqual(['paused', 'gate', 0]);
    // Sticky: one user sees one upstream every time.
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await send(d.port, { headers: { 'x-user': 'alice' } })).body);
    expect(seen.size).toBe(1);
    const promoted = await adminCall(d, 'POST', `/admin/rollouts/${id}/promote`, { token: operator.token });
    expect([promoted.json.state, promoted.json.stage]).toEqual(['running', 1]);
    const paused = await adminCall(d, 'POST', `/admin/rollouts/${id}/pause`, { token: operator.token });
    expect([paused.json.state, paused.json.pausedBy]).toEqual(['paused', 'operator']);
    const again = await adminCall(d, 'POST', `/admin/rollouts/${id}/pause`, { token: operator.token });
    expect([again.status, again.json.error.code]).toEqual([409, 'WEIR_ERR_ROLLOUT_STATE']);
    const resumed = await adminCall(d, 'POST', `/admin/rollouts/${id}/resume`, { token: operator.token });
    expect(resumed.json.state).toBe('running');
    const aborted = await adminCall(d, 'POST', `/admin/rollouts/${id}/abort`, { token: operator.token });
    expect([aborted.json.state, aborted.json.outcome.by]).toEqual(['aborted', 'operator']);
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add((await send(d.port, { headers: { 'x-user': `u${i}` } })).body);
    expect([...bodies]).toEqual(['blue']);
  }, 90_000);

  test('a primary restart ends a live rollout: stable serves, the rollout is aborted by restart', async () => {
    expect.assertions(4);
    const { candidate } = await startBlueGreen(true);
    const started = await adminCall(daemon as Daemon, 'POST', '/admin/rollouts', {
      token: operator.token,
      body: { config: candidate, stages: [{ percent: 100, bakeSeconds: 3600 }] },
    });
    expect(started.status).toBe(201);
    await daemon?.stop();
    const dir = (file as ConfigFile).dir;
    daemon = await Daemon.start({ configPath: (file as ConfigFile).path, stateDir: dir });
    const after = await adminCall(daemon, 'GET', `/admin/rollouts/${started.json.id}`, { token: reader.token });
    expect([after.json.state, after.json.outcome.by]).toEqual(['aborted', 'restart']);
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add((await send(daemon.port)).body);
    expect([...bodies]).toEqual(['blue']);
    const list = await adminCall(daemon, 'GET', '/admin/rollouts', { token: reader.token });
    expect(list.json.current).toBeNull();
  }, 90_000);
});
