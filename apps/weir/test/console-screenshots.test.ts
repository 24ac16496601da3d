import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, launchBrowser, openConsole, signIn } from './harness/browser';
import { send } from './harness/client';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, closeAll, type UpstreamHandler } from './harness/upstreams';

/**
 * `npm run console-screenshots` (WEIR_CONSOLE_SCREENSHOTS=1) writes the PNGs the docs show into
 * apps/console/docs/: overview, upstreams, versions diff, rollout. Under plain `jest` it runs
 * the same steps and writes to a temporary directory, so the script cannot rot unnoticed.
 */
const ops = testToken('ops', ['read', 'write', 'rollout']);
const OUT = process.env['WEIR_CONSOLE_SCREENSHOTS'] === '1' ? path.resolve(__dirname, '../../console/docs') : fs.mkdtempSync(path.join(os.tmpdir(), 'weir-shots-'));

const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console screenshots', () => {
  jest.setTimeout(90_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let upstreams: TestUpstream[] = [];
  const handler: UpstreamHandler = (req, res, upstream) => {
    res.writeHead(upstream.name === 'canary' ? 503 : 200).end(upstream.name);
  };
  function config(route: string, extra: Partial<WeirConfig> = {}): WeirConfig {
    return {
      ...proxyConfig({
        routes: [
          { name: 'api', match: { path: { prefix: '/api' } }, upstream: route },
          { name: 'static', match: { path: { prefix: '/static' } }, directResponse: { status: 200, body: 'ok' } },
        ],
        upstreams: [
          { name: 'app', endpoints: upstreams.slice(0, 2).map((u) => ({ address: u.address })), healthCheck: { intervalMs: 200, jitterMs: 0, timeoutMs: 1000, healthyThreshold: 2, unhealthyThreshold: 2, initialState: 'healthy' } },
          { name: 'canary', endpoints: [{ address: upstreams[2]!.address }] },
        ],
      }),
      admin: { tokens: [ops.entry] },
      ...extra,
    };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    upstreams = await Promise.all(['app-1', 'app-2', 'canary'].map((name) => TestUpstream.start(name, handler)));
  });
  afterAll(async () => {
    await browser?.close();
    await closeAll(upstreams);
  });

  test('overview, upstreams, versions diff and rollout', async () => {
    const d = await daemons.start(config('app'));
    await adminCall(d, 'POST', '/admin/config', { token: ops.token, body: config('app', { logging: { level: 'warn' } }) });
    const traffic = setInterval(() => void send(d.port, { path: '/api/items' }).catch(() => undefined), 20);
    try {
      await new Promise((r) => setTimeout(r, 5000));
      await upstreams[1]!.close();
      const { page } = await openConsole(browser, d);
      await signIn(page, ops.token);
      await page.getByTestId('running-version').waitFor();
      await page.locator('.chart canvas').first().waitFor({ timeout: 10_000 });
      await page.waitForTimeout(2500);
      await page.screenshot({ path: path.join(OUT, 'overview.png'), fullPage: true });

      await page.getByRole('button', { name: 'Upstreams', exact: true }).click();
      await page.locator('[data-testid="endpoint"].row-bad').first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(OUT, 'upstreams.png'), fullPage: true });

      await page.getByRole('button', { name: 'Versions', exact: true }).click();
      await page.getByTestId('diff').waitFor();
      await page.screenshot({ path: path.join(OUT, 'versions-diff.png'), fullPage: true });

      const started = await adminCall(d, 'POST', '/admin/rollouts', {
        token: ops.token,
        body: { config: config('canary', { logging: { level: 'warn' } }), stages: [{ percent: 20, bakeSeconds: 60 }, { percent: 100, bakeSeconds: 60 }], analysis: { minRequests: 1000000 } },
      });
      expect(started.status).toBe(201);
      await page.getByRole('button', { name: 'Rollouts', exact: true }).click();
      await page.getByTestId('rollout').waitFor();
      await page.waitForTimeout(3000);
      await page.screenshot({ path: path.join(OUT, 'rollout.png'), fullPage: true });
    } finally {
      clearInterval(traffic);
    }
    for (const name of ['overview', 'upstreams', 'versions-diff', 'rollout']) expect(fs.statSync(path.join(OUT, `${name}.png`)).size).toBeGreaterThan(10_000);
  });
});
