import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { makeCertFiles, type CertFiles } from '../../../tools/jest/cert-files';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, chartData, launchBrowser, openConsole, signIn, waitForChartPoints } from './harness/browser';
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
  let certs: CertFiles;
  const handler: UpstreamHandler = (req, res, upstream) => {
    res.writeHead(upstream.name === 'canary' ? 503 : 200).end(upstream.name);
  };
  function config(route: string, extra: Partial<WeirConfig> = {}): WeirConfig {
    const base = proxyConfig({
      routes: [
        { name: 'api', match: { path: { prefix: '/api' } }, upstream: route },
        { name: 'static', match: { path: { prefix: '/static' } }, directResponse: { status: 200, body: 'ok' } },
      ],
      upstreams: [
        { name: 'app', endpoints: upstreams.slice(0, 2).map((u) => ({ address: u.address })), healthCheck: { intervalMs: 200, jitterMs: 0, timeoutMs: 1000, healthyThreshold: 2, unhealthyThreshold: 2, initialState: 'healthy' } },
        { name: 'canary', endpoints: [{ address: upstreams[2]!.address }] },
      ],
    });
    // A TLS listener too, so the overview shows its certificates and their expiry.
    return {
      ...base,
      listeners: [...base.listeners, { name: 'https', address: '127.0.0.1', port: 0, tls: { certificates: ['www', 'api'], defaultCertificate: 'www' } }],
      certificates: [
        { name: 'www', certFile: certs.files['www']!.cert, keyFile: certs.files['www']!.key },
        { name: 'api', certFile: certs.files['api']!.cert, keyFile: certs.files['api']!.key },
      ],
      admin: { tokens: [ops.entry] },
      ...extra,
    };
  }

  beforeAll(async () => {
    certs = makeCertFiles([
      { name: 'www', names: ['www.example.com', 'example.com'], days: 80 },
      { name: 'api', names: ['api.example.com'], days: 9 },
    ]);
    browser = await launchBrowser();
    upstreams = await Promise.all(['app-1', 'app-2', 'canary'].map((name) => TestUpstream.start(name, handler)));
  });
  afterAll(async () => {
    certs?.remove();
    await browser?.close();
    await closeAll(upstreams);
  });

  test('overview, upstreams, versions diff and rollout', async () => {
    const d = await daemons.start(config('app'));
    await adminCall(d, 'POST', '/admin/config', { token: ops.token, body: config('app', { logging: { level: 'warn' } }) });
    const traffic = setInterval(() => void send(d.port, { path: '/api/items' }).catch(() => undefined), 20);
    try {
      const { page } = await openConsole(browser, d);
      await signIn(page, ops.token);
      await page.getByTestId('running-version').waitFor();
      // The primary samples every 2 s from the first read: wait until each chart draws its
      // lines through at least 5 points (uPlot's own data, mirrored on the element).
      await waitForChartPoints(page, 5);
      // Lines through >= 5 points, on a time axis that ends at the newest sample (now, not a
      // date 1000 days ahead or the epoch) and spans 1 to 5 minutes.
      const charts = await chartData(page);
      const now = Date.now() / 1000;
      expect(charts.map((c) => [c.points >= 5 && c.samples >= c.points, Math.abs(now - c.xMax) < 10, c.xMax - c.xMin >= 60 && c.xMax - c.xMin <= 300])).toEqual([
        [true, true, true],
        [true, true, true],
        [true, true, true],
      ]);
      await page.screenshot({ path: path.join(OUT, 'overview.png'), fullPage: true });

      await upstreams[1]!.close();
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
      // The card with the analysis' figures: stage, share, and both arms counted.
      await page.locator('[data-testid="rollout-share"]', { hasText: /^20 %$/ }).waitFor();
      await page.locator('[data-testid="rollout-verdict"]', { hasText: 'insufficient' }).waitFor({ timeout: 10_000 });
      await page.getByTestId('arms').locator('tbody tr').nth(1).locator('td').first().filter({ hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(OUT, 'rollout.png'), fullPage: true });
    } finally {
      clearInterval(traffic);
    }
    for (const name of ['overview', 'upstreams', 'versions-diff', 'rollout']) expect(fs.statSync(path.join(OUT, `${name}.png`)).size).toBeGreaterThan(10_000);
  });
});
