import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Rollout } from '../../src/admin-types';
import { abortedFixture, promotedFixture, rolloutFixture } from '../support/rollout-fixture';
import { runCli, type CliResult } from '../support/run-cli';
import { errorReply, StubAdminServer, type StubReply } from '../support/stub-admin-server';

/**
 * The rollout commands against a stub of the admin API (apps/weir/docs/admin-api.md,
 * "Rollouts"): the exact requests they send, and the exit code of every answer.
 */
const candidate = { listeners: [{ name: 'main', port: 8080 }], routes: [{ name: 'r', directResponse: { status: 200, body: 'new' } }] };

describe('weirctl rollout', () => {
  let stub: StubAdminServer;
  let dir: string;
  let file: string;
  const cli = (...argv: string[]): Promise<CliResult> => runCli([...argv, '--url', stub.url, '--token', 'roll-token']);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-rollout-'));
    file = path.join(dir, 'candidate.json');
    fs.writeFileSync(file, JSON.stringify(candidate));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    stub = await StubAdminServer.start();
  });
  afterEach(async () => {
    await stub.close();
  });

  describe('start', () => {
    it('POSTs the config with stages, sticky and analysis, and exits 0 on 201', async () => {
      expect.assertions(7);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture(), headers: { location: '/admin/rollouts/7' } });
      const r = await cli('rollout', 'start', file, '--stages', '1,10,50,100', '--bake', '90s', '--pause-at', '50', '--sticky', 'cookie:sid', '--min-requests', '40', '--max-error-rate-increase', '0.02');
      expect(r.code).toBe(0);
      const [req] = stub.requests;
      expect(`${req?.method} ${req?.path}`).toBe('POST /admin/rollouts');
      expect(req?.headers['authorization']).toBe('Bearer roll-token');
      expect(req?.headers['content-type']).toBe('application/json');
      expect(req?.json).toEqual({
        config: candidate,
        stages: [
          { percent: 1, bakeSeconds: 90, pause: false },
          { percent: 10, bakeSeconds: 90, pause: false },
          { percent: 50, bakeSeconds: 90, pause: true },
          { percent: 100, bakeSeconds: 90, pause: false },
        ],
        sticky: { cookie: 'sid' },
        analysis: { minRequests: 40, maxErrorRateIncrease: 0.02 },
      });
      expect(r.stdout).toContain('rollout 7 started: v-0be51f27a913 → v-3f2a9c01d4e5');
      expect(r.stdout).toContain('weirctl rollout wait 7');
    });

    it('prints the created rollout with --json', async () => {
      expect.assertions(2);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      const r = await cli('rollout', 'start', file, '--json');
      expect(r.code).toBe(0);
      expect(r.json).toEqual(rolloutFixture());
    });

    it.each<[string, StubReply, number]>([
      ['an invalid candidate', errorReply(400, 'WEIR_ERR_CONFIG_INVALID', 'invalid', [{ pointer: '/routes/0', message: 'bad' }]), 1],
      ['an unsupported change', errorReply(400, 'WEIR_ERR_ROLLOUT_UNSUPPORTED', 'changes listeners'), 1],
      ['a malformed request', errorReply(400, 'WEIR_ERR_BAD_REQUEST'), 8],
      ['a rollout already running', errorReply(409, 'WEIR_ERR_ROLLOUT_CONFLICT'), 4],
      ['a token without the rollout scope', errorReply(403, 'WEIR_ERR_ADMIN_FORBIDDEN'), 5],
      ['a wrong token', errorReply(401, 'WEIR_ERR_ADMIN_UNAUTHORIZED'), 5],
      ['throttled authentication', { ...errorReply(429, 'WEIR_ERR_ADMIN_RATE_LIMITED'), headers: { 'retry-after': '6' } }, 5],
      ['a daemon without rollouts', errorReply(404, 'WEIR_ERR_ADMIN_NOT_FOUND'), 8],
      ['a rejected prepare', errorReply(422, 'WEIR_ERR_APPLY_REJECTED'), 8],
      ['no workers', errorReply(503, 'WEIR_ERR_NO_WORKERS'), 8],
    ])('exits with the documented code on %s', async (_what, reply, code) => {
      expect.assertions(3);
      stub.on('POST', '/admin/rollouts', reply);
      const r = await cli('rollout', 'start', file, '--json');
      expect(r.code).toBe(code);
      const body = reply.body as { error: { code: string } };
      expect(r.json.error.code).toBe(body.error.code);
      expect(r.json.error.status).toBe(reply.status);
    });

    it('checks the file and the flags before calling the API', async () => {
      expect.assertions(6);
      const broken = path.join(dir, 'broken.json');
      fs.writeFileSync(broken, '{"routes": [');
      const notJson = await cli('rollout', 'start', broken);
      expect([notJson.code, notJson.stderr]).toEqual([1, expect.stringContaining('WEIR_ERR_CONFIG_PARSE')]);
      expect((await cli('rollout', 'start', path.join(dir, 'missing.json'))).code).toBe(2);
      expect((await cli('rollout', 'start', file, '--timeout', '5m')).code).toBe(2);
      expect((await cli('rollout', 'start', file, '--bake', 'forever')).code).toBe(2);
      expect((await cli('rollout', 'start', file, '--pause-at', '25')).code).toBe(2);
      expect(stub.requests).toHaveLength(0);
    });
  });

  describe('start --wait', () => {
    it('follows a held long-poll released by the test and exits 0 when promoted', async () => {
      expect.assertions(5);
      let release: (reply: StubReply) => void = () => undefined;
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      stub.on('GET', '/admin/rollouts/7', () => new Promise<StubReply>((resolve) => (release = resolve)));
      const running = cli('rollout', 'start', file, '--wait');
      let poll = await stub.nextRequest();
      while (poll.method !== 'GET') poll = await stub.nextRequest();
      expect(`${poll.path}?${poll.query.toString()}`).toBe('/admin/rollouts/7?wait=30');
      release({ status: 200, body: promotedFixture() });
      const r = await running;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('rollout 7 promoted: v-3f2a9c01d4e5 serves all traffic');
      expect(r.stdout).not.toMatch(/\u001b/);
      expect(r.stdout).toContain('rollout 7 advanced stage 2/4 10% by analysis: stage 0 passed');
    });

    it('exits 3 when the rollout ends aborted, printing who aborted it and why', async () => {
      expect.assertions(2);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      stub.on('GET', '/admin/rollouts/7', { status: 200, body: rolloutFixture({ stage: 1, lastAnalysis: { ...(rolloutFixture().lastAnalysis as NonNullable<Rollout['lastAnalysis']>), at: 'later' } }) }, { status: 200, body: abortedFixture() });
      const r = await cli('rollout', 'start', file, '--wait');
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/rollout 7 aborted by analysis: candidate error rate/);
    });

    it('prints only the final rollout with --json', async () => {
      expect.assertions(2);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      stub.on('GET', '/admin/rollouts/7', { status: 200, body: abortedFixture() });
      const r = await cli('rollout', 'start', file, '--wait', '--json');
      expect(r.code).toBe(3);
      expect(r.json.state).toBe('aborted');
    });

    it('exits 7 when --timeout runs out during a held long-poll', async () => {
      expect.assertions(3);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      stub.on('GET', '/admin/rollouts/7', () => new Promise<StubReply>(() => undefined));
      const r = await cli('rollout', 'start', file, '--wait', '--timeout', '300ms', '--json');
      expect(r.code).toBe(7);
      expect(r.json.error.code).toBe('WEIRCTL_ERR_WAIT_TIMEOUT');
      expect(stub.requests.map((q) => `${q.method} ${q.path}?${q.query.toString()}`)).toEqual(['POST /admin/rollouts?', 'GET /admin/rollouts/7?wait=1']);
    });

    it('redraws a live view on a terminal', async () => {
      expect.assertions(3);
      stub.on('POST', '/admin/rollouts', { status: 201, body: rolloutFixture() });
      stub.on('GET', '/admin/rollouts/7', { status: 200, body: promotedFixture() });
      const r = await runCli(['rollout', 'start', file, '--wait', '--url', stub.url, '--token', 't'], { tty: true, columns: 60 });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\u001b\[\d+F\u001b\[J/);
      expect(r.stdout).toContain('[1%] ✓ [10%] ✓ [50%] ✓ [100%] ✓');
    });
  });

  describe('wait, status, list and actions', () => {
    const list = (current: Rollout | null, ...rollouts: Rollout[]): StubReply => ({ status: 200, body: { current, rollouts } });

    it('wait without an ID follows the current rollout', async () => {
      expect.assertions(2);
      stub.on('GET', '/admin/rollouts', list(rolloutFixture(), rolloutFixture()));
      stub.on('GET', '/admin/rollouts/7', { status: 200, body: promotedFixture() });
      const r = await cli('rollout', 'wait');
      expect(r.code).toBe(0);
      expect(stub.requests.map((q) => q.path)).toEqual(['/admin/rollouts', '/admin/rollouts/7']);
    });

    it('wait on a finished rollout answers with its verdict at once', async () => {
      expect.assertions(2);
      stub.on('GET', '/admin/rollouts/6', { status: 200, body: abortedFixture() });
      expect((await cli('rollout', 'wait', '6')).code).toBe(3);
      expect(stub.requests).toHaveLength(1);
    });

    it('status shows the current rollout, else the newest; none or an unknown ID is exit 8', async () => {
      expect.assertions(5);
      stub.on('GET', '/admin/rollouts', list(null, abortedFixture()), list(null));
      stub.on('GET', '/admin/rollouts/99', errorReply(404, 'WEIR_ERR_ROLLOUT_NOT_FOUND'));
      const newest = await cli('rollout', 'status');
      expect(newest.code).toBe(0);
      expect(newest.stdout).toContain('[1%] ✓ [10%] ✗ [50%] · [100%] ·');
      const none = await cli('rollout', 'status', '--json');
      expect([none.code, none.json.error.code]).toEqual([8, 'WEIRCTL_ERR_NO_ROLLOUT']);
      const unknown = await cli('rollout', 'status', '99');
      expect(unknown.code).toBe(8);
      expect(unknown.stderr).toContain('WEIR_ERR_ROLLOUT_NOT_FOUND');
    });

    it('promote --full, pause, resume and abort POST to the current rollout', async () => {
      expect.assertions(3);
      stub.on('GET', '/admin/rollouts', list(rolloutFixture(), rolloutFixture()));
      for (const verb of ['promote', 'pause', 'resume']) stub.on('POST', `/admin/rollouts/7/${verb}`, { status: 200, body: rolloutFixture() });
      stub.on('POST', '/admin/rollouts/7/abort', { status: 200, body: rolloutFixture({ state: 'aborted', outcome: { result: 'aborted', by: 'operator', reason: null } }) });
      const codes = [];
      codes.push((await cli('rollout', 'promote', '--full')).code);
      codes.push((await cli('rollout', 'pause', '7')).code);
      codes.push((await cli('rollout', 'resume')).code);
      const aborted = await cli('rollout', 'abort');
      codes.push(aborted.code);
      expect(codes).toEqual([0, 0, 0, 0]);
      expect(stub.requests.filter((q) => q.method === 'POST').map((q) => `${q.path} ${q.body}`)).toEqual([
        '/admin/rollouts/7/promote {"full":true}',
        '/admin/rollouts/7/pause {}',
        '/admin/rollouts/7/resume {}',
        '/admin/rollouts/7/abort {}',
      ]);
      expect(aborted.stdout).toContain('rollout 7 aborted by operator');
    });

    it('an action without a current rollout is exit 8, on a finished one (409) exit 4, without the scope exit 5', async () => {
      expect.assertions(3);
      stub.on('GET', '/admin/rollouts', list(null, abortedFixture()));
      stub.on('POST', '/admin/rollouts/7/promote', errorReply(409, 'WEIR_ERR_ROLLOUT_CONFLICT'));
      stub.on('POST', '/admin/rollouts/7/abort', errorReply(403, 'WEIR_ERR_ADMIN_FORBIDDEN'));
      expect((await cli('rollout', 'pause')).code).toBe(8);
      expect((await cli('rollout', 'promote', '7')).code).toBe(4);
      expect((await cli('rollout', 'abort', '7')).code).toBe(5);
    });

    it('list prints a table, the current rollout marked', async () => {
      expect.assertions(3);
      stub.on('GET', '/admin/rollouts', list(rolloutFixture(), rolloutFixture(), { ...abortedFixture(), id: '6' }), list(null));
      const r = await cli('rollout', 'list');
      expect(r.stdout.split('\n')[0]).toMatch(/^ {3}ID +STATE +STAGE +STABLE +CANDIDATE +PRINCIPAL +STARTED +OUTCOME$/);
      expect(r.stdout).toMatch(/^\* +7 +running +2\/4 10%/m);
      expect((await cli('rollout', 'list')).stdout).toBe('no rollouts\n');
    });

    it('refuses unknown subcommands and flags (exit 2)', async () => {
      expect.assertions(3);
      expect((await cli('rollout', 'explode')).code).toBe(2);
      expect((await cli('rollout', 'pause', '--full')).code).toBe(2);
      expect((await cli('rollout', 'status', '1', '2')).code).toBe(2);
    });
  });
});
