import type { Browser } from 'playwright-core';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { SKIP_BROWSER, launchBrowser, openConsole, signIn } from './harness/browser';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { Load } from './harness/load';
import { TestUpstream, closeAll, type UpstreamHandler } from './harness/upstreams';

/**
 * The rollout view in chromium (issue 17's test list): a rollout whose candidate starts
 * answering 500 is shown progressing (stage and share, live) and then aborted by the analysis,
 * with the failing arm's error rate on the page. Every step waits for text on the page; the
 * only timeouts are upper bounds.
 */
const ops = testToken('ops', ['read', 'write', 'rollout']);

const describeBrowser = SKIP_BROWSER ? describe.skip : describe;

describeBrowser('console: a failing rollout, live', () => {
  jest.setTimeout(90_000);
  const daemons = daemonPerTest();
  let browser: Browser;
  let upstreams: TestUpstream[] = [];
  let load: Load | null = null;
  /** When set, the candidate's upstream answers 500. */
  let canaryFails = false;
  const handler: UpstreamHandler = (req, res, u) => {
    req.resume();
    res.writeHead(u.name === 'canary' && canaryFails ? 500 : 200, { 'content-length': u.name.length }).end(u.name);
  };
  const config = (target: string): WeirConfig => ({
    ...proxyConfig({ routes: [{ name: 'api', upstream: target }], upstreams: upstreams.map((u) => upstream(u.name, u.address)) }),
    admin: { tokens: [ops.entry] },
  });

  beforeAll(async () => {
    browser = await launchBrowser();
    upstreams = await Promise.all(['app', 'canary'].map((name) => TestUpstream.start(name, handler)));
  });
  afterEach(async () => {
    await load?.stop();
    load = null;
    canaryFails = false;
  });
  afterAll(async () => {
    await browser?.close();
    await closeAll(upstreams);
  });

  test('progressing (stage, share), then aborted by the analysis, with the failing arm\'s error rate shown', async () => {
    expect.assertions(13);
    const d = await daemons.start(config('app'));
    const { page, problems } = await openConsole(browser, d);
    await signIn(page, ops.token);
    await page.getByTestId('running-version').waitFor();
    await page.getByRole('button', { name: 'Rollouts', exact: true }).click();
    await page.getByText('No rollout is running').waitFor();

    // Stage 1 bakes for 1 s but cannot pass before 20 candidate requests: no traffic yet.
    const started = await adminCall(d, 'POST', '/admin/rollouts', {
      token: ops.token,
      body: {
        config: config('canary'),
        stages: [{ percent: 10, bakeSeconds: 1 }, { percent: 50, bakeSeconds: 600 }, { percent: 100, bakeSeconds: 600 }],
        // A loaded machine makes latency noisy: only the error rate decides here.
        analysis: { minRequests: 20, p99ToleranceMs: 5000 },
      },
    });
    expect(started.status).toBe(201);
    const id = started.json.id as string;
    const card = page.getByTestId('rollout');
    await page.locator('[data-testid="rollout-share"]', { hasText: /^10 %$/ }).waitFor({ timeout: 5000 });
    await page.locator('[data-testid="rollout-verdict"]', { hasText: 'insufficient' }).waitFor({ timeout: 5000 });
    expect(await card.textContent()).toContain('stage 1 of 3');
    expect(await card.textContent()).toContain(`Rollout ${id}`);

    // Traffic: the still healthy candidate passes stage 1, and the open page follows to stage 2.
    load = new Load({ port: d.port, concurrency: 4, path: '/api/items', maxDurationMs: 60_000 });
    await page.locator('[data-testid="rollout-share"]', { hasText: /^50 %$/ }).waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('stage 2 of 3');
    expect(await page.getByTestId('rollout-state').textContent()).toBe('running');
    expect(await page.locator('.stages li[aria-current="step"]').textContent()).toMatch(/^50 %/);

    // The candidate starts failing: the analysis aborts the rollout, and the page says so.
    canaryFails = true;
    await page.locator('[data-testid="rollout-state"]', { hasText: 'aborted' }).waitFor({ timeout: 20_000 });
    const ended = (await adminCall(d, 'GET', `/admin/rollouts/${id}`, { token: ops.token })).json;
    expect([ended.state, ended.outcome.by, ended.lastAnalysis.verdict]).toEqual(['aborted', 'analysis', 'breach']);
    const rate = ended.lastAnalysis.candidate.errorRate as number;
    expect(rate).toBeGreaterThan(0.01);
    // The failing arm's error rate as the analysis measured it, marked over the limit.
    const shown = `${(rate * 100).toFixed(2)} %`;
    await page.locator('[data-testid="candidate-error-rate"]', { hasText: shown }).waitFor({ timeout: 5000 });
    expect(await page.getByTestId('candidate-error-rate').textContent()).toContain('over the limit');
    expect(await page.getByTestId('arms').locator('tbody tr.row-bad th').textContent()).toContain('candidate');
    expect(await page.getByTestId('rollout-verdict').textContent()).toBe('breach');
    expect(await page.getByTestId('rollout-outcome').textContent()).toMatch(/^Ended: aborted by analysis: candidate error rate \d+\.\d+% exceeds stable's/);
    // Stable kept serving; nothing on the page failed, and nothing was offered for an ended rollout.
    expect([problems, await page.locator('main button').count()]).toEqual([[], 0]);
  });
});
