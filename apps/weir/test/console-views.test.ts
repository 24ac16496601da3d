import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, launchBrowser, openConsole, signIn } from './harness/browser';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, closeAll, type UpstreamHandler } from './harness/upstreams';

/**
 * The console's views in chromium (issue 17): axe-core finds nothing serious or critical on any
 * view, light and dark, wide and narrow; an endpoint taken down shows as unhealthy; a primary
 * that stops answering is said plainly.
 */
const ops = testToken('ops', ['read', 'write', 'rollout']);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = ['Overview', 'Routes', 'Upstreams', 'Versions', 'Rollouts'] as const;

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP stays as served). */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE);
  const result = (await page.evaluate(
    `axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as { id: string; impact: string; targets: string[] }[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console views in a real browser', () => {
  jest.setTimeout(90_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let upstreams: TestUpstream[] = [];
  const failing = new Set<string>();
  const handler: UpstreamHandler = (req, res, upstream) => {
    res.writeHead(failing.has(upstream.name) ? 503 : 200).end(upstream.name);
  };

  function config(): WeirConfig {
    return {
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
      admin: { tokens: [ops.entry] },
    };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    upstreams = await Promise.all(['a', 'b'].map((name) => TestUpstream.start(name, handler)));
  });
  afterAll(async () => {
    await browser?.close();
    await closeAll(upstreams);
  });
  afterEach(() => failing.clear());

  test('axe-core finds nothing serious or critical on any view, light and dark, 1280x800 and narrow', async () => {
    const d = await daemons.start(config());
    await adminCall(d, 'POST', '/admin/config', { token: ops.token, body: { ...config(), routes: [{ name: 'app', upstream: 'app' }, { name: 'ok', directResponse: { status: 200 } }] } });
    const found: string[] = [];
    for (const [scheme, viewport] of [['light', { width: 1280, height: 800 }], ['dark', { width: 380, height: 800 }]] as const) {
      const { page, problems } = await openConsole(browser, d, viewport);
      await page.emulateMedia({ colorScheme: scheme });
      found.push(...(await seriousViolations(page)).map((v) => `${scheme} sign-in: ${v}`));
      await signIn(page, ops.token);
      await page.getByTestId('running-version').waitFor();
      for (const view of VIEWS) {
        await page.getByRole('button', { name: view, exact: true }).click();
        await page.getByRole('heading', { name: view, exact: true }).waitFor();
        // Checked once the view's data is shown, not while it says it is loading.
        await page.locator('main [aria-busy="true"]').waitFor({ state: 'detached' });
        found.push(...(await seriousViolations(page)).map((v) => `${scheme} ${view}: ${v}`));
      }
      // Keyboard: the views are reachable with Tab and Enter.
      await page.getByRole('button', { name: 'Overview', exact: true }).focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Routes', exact: true }).waitFor();
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(found).toEqual([]);
  });

  test('an endpoint taken down is shown unhealthy, in words', async () => {
    const d = await daemons.start(config());
    const { page } = await openConsole(browser, d);
    await signIn(page, ops.token);
    await page.getByRole('button', { name: 'Upstreams', exact: true }).click();
    await page.getByTestId('endpoint').nth(1).waitFor();
    expect(await page.locator('[data-testid="endpoint"].row-bad').count()).toBe(0);
    failing.add('b');
    // The open view follows by itself (GET /admin/upstreams every 2 s): 2 failed checks 100 ms
    // apart, then at most one period.
    const bad = page.locator('[data-testid="endpoint"].row-bad');
    await bad.first().waitFor({ timeout: 5000 });
    expect(await bad.textContent()).toContain(upstreams[1]!.address);
    expect(await bad.textContent()).toMatch(/UNHEALTHY/);
  });

  test('a primary that stops answering is said plainly', async () => {
    const d = await daemons.start(config());
    const { page } = await openConsole(browser, d);
    await signIn(page, ops.token);
    await page.getByTestId('running-version').waitFor();
    await d.stop();
    await expect(page.getByTestId('banner').textContent({ timeout: 10_000 })).resolves.toMatch(/Primary unreachable/);
  });
});
