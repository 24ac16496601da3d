import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Daemon } from './daemon';
import { adminPort } from './admin-client';

/**
 * Debian's chromium, driven headless by playwright-core (issue 17). No browser is ever
 * downloaded: `.ci/run` installs the `chromium` package. Without it the console tests fail with
 * this message, unless WEIR_SKIP_BROWSER=1 says to skip them (a developer machine without one).
 */
export function chromiumPath(): string | null {
  for (const candidate of [process.env['WEIR_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate !== undefined && candidate !== '' && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const SKIP_BROWSER = process.env['WEIR_SKIP_BROWSER'] === '1' && chromiumPath() === null;

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === null) {
    throw new Error('the console tests need Debian\'s chromium (apt-get install -y chromium, as .ci/run does); set WEIR_SKIP_BROWSER=1 to skip them');
  }
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** The console's URL on the daemon's admin listener. */
export function consoleUrl(daemon: Daemon): string {
  return `http://127.0.0.1:${adminPort(daemon)}/ui/`;
}

/** Open the console in a fresh context (its own sessionStorage), collecting CSP violations and page errors. */
export async function openConsole(browser: Browser, daemon: Daemon, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Answers the console expects and handles: a wrong token (401), an older primary (404), a
    // refused action (409, 412), throttling (429), a stopped primary. A 403 or 415 is a bug: the
    // console reads its scopes from GET /admin/token and never probes with refused calls.
    if (msg.type() === 'error' && !/status of (401|404|409|412|429)\b|net::ERR_/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (req) => {
    if (!req.url().startsWith(`http://127.0.0.1:${adminPort(daemon)}/`) && !req.url().startsWith('data:')) problems.push(`third-party request: ${req.url()}`);
  });
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))`);
  await page.goto(consoleUrl(daemon));
  return { page, problems };
}

/** Type `token` into the sign-in form and submit it. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** One chart as the Chart component mirrors uPlot: x values, non-null y values, the x range (epoch s). */
export interface ChartData {
  readonly samples: number;
  readonly points: number;
  readonly xMin: number;
  readonly xMax: number;
}

/** What each chart of the page holds (see apps/console/src/components/Chart.tsx). */
export async function chartData(page: Page): Promise<ChartData[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll('.chart')].map((el) => ({ samples: Number(el.dataset.samples), points: Number(el.dataset.points), xMin: Number(el.dataset.xMin), xMax: Number(el.dataset.xMax) }))`,
  )) as ChartData[];
}

/**
 * Wait until the page shows charts and each has drawn at least `min` points: the Chart
 * component mirrors uPlot's data onto `data-points` at every update, so this waits for the
 * data, not for a time. Evaluated through the DevTools protocol (the page's CSP stays as served).
 */
export async function waitForChartPoints(page: Page, min: number, timeout = 30_000): Promise<void> {
  const enough = (n: number): boolean => {
    const els = [...(globalThis as any).document.querySelectorAll('.chart')] as { dataset: Record<string, string> }[];
    return els.length > 0 && els.every((el) => Number(el.dataset['points']) >= n);
  };
  await page.waitForFunction(enough, min, { timeout });
}

/**
 * Installed before any page script (DevTools protocol, so the CSP does not apply): records
 * `performance.now()` (ms since navigation start) in `__weirFirstRender` at the DOM mutation
 * that first shows a running version on the overview. tools/bench/console-load.js does the same.
 */
const FIRST_RENDER_PROBE = `new MutationObserver((_, observer) => {
  const el = document.querySelector('[data-testid="running-version"]');
  if (el !== null && /^v-/.test(el.textContent || '')) { window.__weirFirstRender = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true, characterData: true });`;

/**
 * Time to first render of a signed-in tab (issue 17: under 1 s on loopback): `loads` reloads,
 * each measured from navigation start to the overview showing the running version. Signs in
 * first; the token stays in the tab's sessionStorage across reloads, as for an operator.
 */
export async function firstRenderMs(page: Page, token: string, loads: number): Promise<number[]> {
  await page.addInitScript(FIRST_RENDER_PROBE);
  await signIn(page, token);
  await page.getByTestId('running-version').waitFor();
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    await page.reload();
    await page.locator('[data-testid="running-version"]', { hasText: /^v-/ }).waitFor();
    times.push((await page.evaluate('window.__weirFirstRender')) as number);
  }
  return times;
}
