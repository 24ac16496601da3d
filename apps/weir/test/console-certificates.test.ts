import type { Browser } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { makeCertFiles, type CertFiles } from '../../../tools/jest/cert-files';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, launchBrowser, openConsole, signIn } from './harness/browser';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * The TLS certificates on the console's overview (issue 17 with the edge issue), in chromium
 * against the built daemon: `GET /admin/status` lists the running config's certificates with
 * their expiry, soonest first, and the overview shows them, the one expiring within 14 days
 * marked; a config without TLS listeners shows no certificate table.
 */
const ops = testToken('ops', ['read']);
const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console: certificates on the overview', () => {
  jest.setTimeout(60_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let certs: CertFiles;

  beforeAll(async () => {
    browser = await launchBrowser();
    certs = makeCertFiles([
      { name: 'site', names: ['site.example', '*.site.example'], days: 90 },
      { name: 'soon', names: ['soon.example'], days: 5 },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    certs?.remove();
  });

  function config(): WeirConfig {
    return {
      ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200, body: 'hello' } }] }),
      listeners: [{ name: 'edge', address: '127.0.0.1', port: 0, tls: { certificates: ['site', 'soon'], defaultCertificate: 'site' } }],
      certificates: [
        { name: 'site', certFile: certs.files['site']!.cert, keyFile: certs.files['site']!.key },
        { name: 'soon', certFile: certs.files['soon']!.cert, keyFile: certs.files['soon']!.key },
      ],
      admin: { tokens: [ops.entry] },
    };
  }

  test('lists every certificate with its expiry, soonest first, and marks the one expiring soon', async () => {
    const d = await daemons.start(config());
    const status = await adminCall(d, 'GET', '/admin/status', { token: ops.token });
    const rows = (status.json as { certificates: { name: string; serverNames: string[]; listeners: string[]; expiresInSeconds: number }[] }).certificates;
    expect(rows.map((r) => r.name)).toEqual(['soon', 'site']);
    expect(rows[1]).toMatchObject({ serverNames: ['site.example', '*.site.example'], listeners: ['edge'] });
    expect(rows[0]!.expiresInSeconds).toBeGreaterThan(4 * 86_400);
    expect(rows[0]!.expiresInSeconds).toBeLessThanOrEqual(5 * 86_400);

    const { page, problems } = await openConsole(browser, d);
    await signIn(page, ops.token);
    const table = page.getByTestId('certificates');
    await table.waitFor();
    const soon = page.getByTestId('certificate-soon');
    await soon.getByText(/^[45] days left$/).waitFor();
    expect(await soon.locator('.tag.warn').count()).toBe(1);
    const site = page.getByTestId('certificate-site');
    await site.getByText(/^(89|90) days left$/).waitFor();
    expect(await site.locator('.tag.good').count()).toBe(1);
    expect(await site.textContent()).toContain('site.example, *.site.example');
    expect(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).toEqual(['certificate-soon', 'certificate-site']);
    expect(problems).toEqual([]);
  });

  test('a config without TLS listeners shows no certificate table', async () => {
    const d = await daemons.start({ ...proxyConfig({ routes: [{ name: 'hello', directResponse: { status: 200 } }] }), admin: { tokens: [ops.entry] } });
    const { page } = await openConsole(browser, d);
    await signIn(page, ops.token);
    await page.getByTestId('running-version').filter({ hasText: /^v-/ }).waitFor();
    expect(await page.getByTestId('certificates').count()).toBe(0);
  });
});
