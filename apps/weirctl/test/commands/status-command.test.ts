import type { StatusResult } from '../../src/admin-types';
import { statusLines } from '../../src/commands/index';
import { rolloutFixture } from '../support/rollout-fixture';
import { runCli } from '../support/run-cli';
import { errorReply, StubAdminServer } from '../support/stub-admin-server';

const status: StatusResult = {
  primary: { pid: 4100, version: '0.1.0', node: 'v20.18.1', startedAt: '2026-12-06T00:00:00.000Z', uptimeMs: 86_400_000 },
  config: { version: 'v-3f2a9c01d4e5', hash: '3f2a', source: 'admin', principal: 'ci' },
  lastApply: { version: 'v-3f2a9c01d4e5', source: 'admin', principal: 'ci', outcome: 'applied', at: '2026-12-06T10:00:00.000Z', durationMs: 42 },
  workers: [
    { index: 0, pid: 4101, state: 'ready', version: 'v-3f2a9c01d4e5', restarts: 0, uptimeMs: 86_399_000, inFlight: 12 },
    { index: 1, pid: 4102, state: 'ready', version: 'v-3f2a9c01d4e5', restarts: 1, uptimeMs: 3_600_000, inFlight: null },
  ],
};
const now = Date.parse('2026-12-06T15:00:42.000Z');

describe('weirctl status', () => {
  it('summarises the status and the current rollout', () => {
    expect(statusLines(status, rolloutFixture(), now)).toEqual([
      'config      v-3f2a9c01d4e5 (source admin, principal ci)',
      'primary     pid 4100, weir 0.1.0, node v20.18.1, up 24h 00m',
      'last apply  applied v-3f2a9c01d4e5 from admin by ci at 2026-12-06T10:00:00.000Z, 42 ms',
      expect.stringMatching(/^rollout {5}7 running stage 2\/4 10% baked 42s\/1m 00s \| stable 9800 req/),
      'workers',
      '  INDEX  PID   STATE  VERSION         RESTARTS  UPTIME   IN-FLIGHT',
      '  0      4101  ready  v-3f2a9c01d4e5  0         23h 59m  12',
      '  1      4102  ready  v-3f2a9c01d4e5  1         1h 00m   -',
    ]);
  });

  it('shows a rejected apply with its code, and no rollout', () => {
    const rejected: StatusResult = {
      ...status,
      lastApply: { version: null, source: 'file', principal: null, outcome: 'rejected', at: 'x', error: { code: 'WEIR_ERR_CONFIG_INVALID', message: 'bad' } },
    };
    const lines = statusLines(rejected, null, now);
    expect(lines[2]).toBe('last apply  rejected - from file at x (WEIR_ERR_CONFIG_INVALID: bad)');
    expect(lines[3]).toBe('rollout     none');
  });

  it('lists the certificates with their expiry, an expired one marked', () => {
    const withCerts: StatusResult = {
      ...status,
      certificates: [
        { name: 'old', serverNames: ['old.example'], notAfter: '2026-12-06T14:00:00.000Z', expiresInSeconds: -3642, listeners: [] },
        { name: 'site', serverNames: ['example.com', '*.example.com'], notAfter: '2027-01-05T15:00:42.000Z', expiresInSeconds: 30 * 86_400, listeners: ['https'] },
      ],
    };
    expect(statusLines(withCerts, null, now).slice(-4)).toEqual([
      'certificates',
      '  NAME  NOT-AFTER                 LEFT     LISTENERS  SERVES',
      '  old   2026-12-06T14:00:00.000Z  EXPIRED  -          old.example',
      '  site  2027-01-05T15:00:42.000Z  30d 0h   https      example.com,*.example.com',
    ]);
    expect(statusLines(status, null, now)).not.toContain('certificates');
  });

  describe('against a stub', () => {
    let stub: StubAdminServer;
    beforeEach(async () => {
      stub = await StubAdminServer.start();
    });
    afterEach(async () => {
      await stub.close();
    });

    it('asks for the status and the rollouts, and treats a daemon without rollouts (404) as none', async () => {
      expect.assertions(3);
      stub.on('GET', '/admin/status', { status: 200, body: status });
      const r = await runCli(['status', '--json', '--url', stub.url, '--token', 't']);
      expect(r.code).toBe(0);
      expect(r.json).toEqual({ status, rollout: null });
      expect(stub.requests.map((q) => q.path)).toEqual(['/admin/status', '/admin/rollouts']);
    });

    it('exits 7 when one request times out, and 8 on a 5xx', async () => {
      expect.assertions(3);
      stub.on('GET', '/admin/status', () => new Promise(() => undefined));
      const slow = await runCli(['status', '--json', '--url', stub.url, '--token', 't', '--request-timeout', '200ms']);
      expect([slow.code, slow.json.error.code]).toEqual([7, 'WEIRCTL_ERR_TIMEOUT']);
      stub.on('GET', '/admin/status', errorReply(500, 'WEIR_ERR_INTERNAL'));
      expect((await runCli(['status', '--url', stub.url, '--token', 't'])).code).toBe(8);
      stub.on('GET', '/admin/status', { status: 502, raw: 'Bad Gateway' });
      expect((await runCli(['status', '--url', stub.url, '--token', 't'])).code).toBe(8);
    });
  });
});
