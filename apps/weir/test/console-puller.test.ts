import type { Browser } from 'playwright-core';
import { encodeBase64, publicKeyOf, signBundle, signingKeyFromSeed, type SigningKey } from '@weir/bundle';
import type { PullConfig, WeirConfig } from '@weir/config';
import { testToken } from './harness/admin-client';
import { SKIP_BROWSER, launchBrowser, openConsole, signIn } from './harness/browser';
import { BundleServer } from './harness/bundle-server';
import { proxyConfig } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';

/**
 * The bundle puller on the console's overview (issue 17 with issue 12), in chromium against the
 * built daemon: the revision a signed bundle brought, then a bundle signed by an unknown key is
 * refused and the page shows the rejection and its reason within 2 s, with the revision kept;
 * then the source goes down and the card counts the failures.
 */
const RELEASE = signingKeyFromSeed('release', Buffer.alloc(32, 3));
const STRANGER = signingKeyFromSeed('stranger', Buffer.alloc(32, 4));
const ops = testToken('ops', ['read']);

function serving(body: string, pull?: PullConfig): WeirConfig {
  const config: WeirConfig = { ...proxyConfig({ routes: [{ name: 'r', directResponse: { status: 200, body } }] }), admin: { tokens: [ops.entry] } };
  return pull === undefined ? config : { ...config, pull };
}

function bundle(revision: number, key: SigningKey): Buffer {
  return signBundle({ revision, createdAt: Date.now() - 60_000, config: serving(`revision ${revision}`) }, [key]).bytes;
}

const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console: the bundle puller on the overview', () => {
  jest.setTimeout(60_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let source: BundleServer;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    source = new BundleServer();
    await source.listen();
  });
  afterEach(async () => {
    await source.close();
  });

  test('shows the revision, then a rejected bundle with its reason while the revision stays', async () => {
    source.body = bundle(1, RELEASE);
    const pull: PullConfig = {
      url: source.url,
      intervalMs: 200,
      jitterMs: 0,
      maxBackoffMs: 400,
      timeoutMs: 2000,
      trustedKeys: [{ keyId: RELEASE.keyId, publicKey: encodeBase64(publicKeyOf(RELEASE).publicKey) }],
    };
    const d = await daemons.start(serving('file', pull));
    const { page, problems } = await openConsole(browser, d);
    await signIn(page, ops.token);
    const card = page.getByTestId('puller');
    await card.getByTestId('puller-revision').filter({ hasText: /^1$/ }).waitFor({ timeout: 10_000 });
    await card.getByText('ok', { exact: true }).waitFor();
    await card.getByText(source.url).waitFor();
    expect(await card.getByTestId('puller-error').count()).toBe(0);

    source.body = bundle(2, STRANGER);
    // The status long poll wakes on the rejection: within 2 s of it, plus the next poll (200 ms).
    await card.getByTestId('puller-error').filter({ hasText: 'WEIR_ERR_BUNDLE_UNKNOWN_KEY' }).waitFor({ timeout: 2_500 });
    await card.getByText('bundle refused', { exact: true }).waitFor();
    expect(await card.getByTestId('puller-revision').textContent()).toBe('1');

    // A source that is down: failures in a row, counted on the card, the revision still kept.
    source.down = true;
    await card.getByTestId('puller-error').filter({ hasText: 'WEIR_ERR_BUNDLE_SOURCE' }).waitFor({ timeout: 2_500 });
    await card.getByText(/^failing \(\d+\)$/).waitFor();
    expect(await card.getByTestId('puller-revision').textContent()).toBe('1');
    expect(problems).toEqual([]);
  });
});
