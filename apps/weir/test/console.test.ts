import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, firstRenderMs, launchBrowser, openConsole, signIn } from './harness/browser';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, closeAll, startUpstreams } from './harness/upstreams';

/**
 * The operator console (issue 17) in Debian's chromium, headless, against the built daemon with
 * 2 workers and a real upstream on loopback: sign-in, scopes, live updates, rollback with
 * If-Match, hostile names as text, and the headers of every console answer.
 */
const writer = testToken('ops', ['read', 'write', 'rollout']);
const reader = testToken('viewer', ['read']);
const HOSTILE = '<img src=x onerror=alert(1)>';
/** The confirmation's button is enabled once the running config's ETag is read. */
const CONFIRM_ENABLED = '[data-testid="rollback-confirm"] button.danger:not([disabled])';
const BUNDLE = path.resolve(__dirname, '../../console/dist/console.js');

function configFor(body: string, upstreams: readonly TestUpstream[]): WeirConfig {
  return {
    ...proxyConfig({
      routes: [
        { name: 'hostile', match: { path: { prefix: '/api' }, headers: [{ name: 'x-probe', exact: HOSTILE }] }, upstream: 'backend' },
        { name: 'hello', directResponse: { status: 200, body } },
      ],
      upstreams: [{ name: 'backend', endpoints: upstreams.map((u) => ({ address: u.address })) }],
    }),
    admin: { tokens: [writer.entry, reader.entry] },
  };
}

const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console in a real browser', () => {
  jest.setTimeout(60_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let upstreams: TestUpstream[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(BUNDLE)) throw new Error(`the console is not built (${BUNDLE}): run npm run build`);
    browser = await launchBrowser();
    upstreams = await startUpstreams(['b1']);
  });
  afterAll(async () => {
    await browser?.close();
    await closeAll(upstreams);
  });

  test('headers: every console answer has the CSP, nosniff, no-referrer and its content type', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const expected = [
      ['/ui/', 'text/html; charset=utf-8', 200],
      ['/ui/console.js', 'text/javascript; charset=utf-8', 200],
      ['/ui/console.css', 'text/css; charset=utf-8', 200],
      ['/ui/missing.js', 'application/json; charset=utf-8', 404],
      ['/ui/../admin/status', 'application/json; charset=utf-8', 404],
    ] as const;
    for (const [p, type, status] of expected) {
      const answer = await adminCall(d, 'GET', p);
      expect([p, answer.status, answer.headers['content-type']]).toEqual([p, status, type]);
      expect(answer.headers['content-security-policy']).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await adminCall(d, 'GET', '/ui/', { headers: { host: 'evil.example' } })).status).toBe(421);
    const html = (await adminCall(d, 'GET', '/ui/')).text;
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\//);
  });

  test('sign in: both workers and the running version; a hostile config value is text; no CSP violation', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const { page, problems } = await openConsole(browser, d);
    await signIn(page, writer.token);
    await expect(page.getByTestId('running-version').textContent({ timeout: 10_000 })).resolves.toBe(d.version);
    await page.locator('[data-testid="scopes"]', { hasText: 'can write and roll out' }).waitFor();
    const rows = page.getByTestId('workers').locator('tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('workers').textContent()).toContain(d.version);
    expect(await page.evaluate('Object.keys(localStorage).length')).toBe(0);
    expect(page.url()).not.toContain(writer.token);

    await page.getByRole('button', { name: 'Routes' }).click();
    // Route names are restricted by the schema; a header value is not, and shows as that text.
    const match = page.getByTestId('routes').locator('tbody tr').first().locator('code');
    await expect(match.textContent()).resolves.toContain(`"exact":"${HOSTILE}"`);
    expect(await page.locator('table img').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0); // not on this view
    expect(problems).toEqual([]);
  });

  test('first render under 1 s on loopback: navigation start to the overview showing the running version, median of 5 loads', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const { page, problems } = await openConsole(browser, d);
    const times = await firstRenderMs(page, reader.token, 5);
    expect(times.every((t) => Number.isFinite(t) && t > 0)).toBe(true);
    const median = [...times].sort((a, b) => a - b)[2] as number;
    expect(median).toBeLessThan(1000);
    expect(problems).toEqual([]);
  });

  test('a wrong token is refused with a clear message', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const { page } = await openConsole(browser, d);
    await signIn(page, 'weir_not-a-real-token');
    await expect(page.getByTestId('signin-error').textContent()).resolves.toMatch(/Wrong token: the admin API refused it \(401\)/);
  });

  test('a read token sees everything and no action buttons', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('two', upstreams) });
    const { page, problems } = await openConsole(browser, d);
    const sent: string[] = [];
    page.on('request', (req) => sent.push(`${req.method()} ${new URL(req.url()).pathname}`));
    await signIn(page, reader.token);
    await page.getByTestId('running-version').waitFor();
    await expect(page.getByTestId('scopes').textContent()).resolves.toBe('read only');
    await expect(page.getByTestId('token-name').textContent()).resolves.toBe('viewer: ');
    // The scopes come from GET /admin/token: no probing POST, nothing refused.
    expect(sent).toContain('GET /admin/token');
    expect(sent.filter((r) => !r.startsWith('GET '))).toEqual([]);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByTestId('versions').locator('tbody tr').nth(1).waitFor();
    await page.getByTestId('diff').waitFor();
    expect(await page.locator('main button').count()).toBe(0);
    await page.getByRole('button', { name: 'Rollouts' }).click();
    await page.getByRole('heading', { name: 'Rollouts', exact: true }).waitFor();
    expect(await page.locator('main button').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  test('an apply through the API shows on the open page within 2 seconds', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const { page } = await openConsole(browser, d);
    // The apply is made once the page holds its long poll (GET /admin/status?wait=…).
    const held = page.waitForRequest((req) => req.url().includes('/admin/status?wait='));
    await signIn(page, reader.token);
    await expect(page.getByTestId('running-version').textContent({ timeout: 10_000 })).resolves.toBe(d.version);
    await held;
    const applied = await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('two', upstreams) });
    const started = Date.now();
    // Playwright's locator polling runs in its own world: the page's CSP forbids string evaluation.
    await page.locator('[data-testid="running-version"]', { hasText: applied.json.version as string }).waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(page.getByTestId('running-principal').textContent()).resolves.toBe('ops');
  });

  test('rollback through the page changes the running version; a concurrent change makes it fail clearly', async () => {
    const d = await daemons.start(configFor('one', upstreams));
    const first = d.version;
    const second = (await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('two', upstreams) })).json.version as string;
    const { page, problems } = await openConsole(browser, d);
    await signIn(page, writer.token);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByTestId('diff').waitFor();
    expect(await page.getByTestId('diff').textContent()).toContain('+');

    // Concurrent change: someone applies between opening the confirmation and confirming.
    await page.getByRole('button', { name: /Roll back to #/ }).first().click();
    await page.getByRole('button', { name: 'Confirm rollback' }).waitFor();
    await page.locator(CONFIRM_ENABLED).waitFor();
    const third = (await adminCall(d, 'POST', '/admin/config', { token: writer.token, body: configFor('three', upstreams) })).json.version as string;
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await expect(page.getByTestId('rollback-error').textContent()).resolves.toMatch(/running config changed since you opened this confirmation, so nothing was rolled back/);
    expect((await adminCall(d, 'GET', '/admin/status', { token: reader.token })).json.config.version).toBe(third);
    await page.getByRole('button', { name: 'Close' }).click();

    // Now without interference: roll back to the first version.
    const firstRow = page.getByTestId('versions').locator('tbody tr').filter({ hasText: first ?? '' }).last();
    await firstRow.getByRole('button', { name: /Roll back/ }).click();
    await page.locator(CONFIRM_ENABLED).waitFor();
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await expect(page.getByTestId('versions-notice').textContent()).resolves.toContain(`Rolled back: ${first}`);
    expect((await adminCall(d, 'GET', '/admin/status', { token: reader.token })).json.config.version).toBe(first);
    expect(second).not.toBe(first);
    expect(problems).toEqual([]);
  });
});
