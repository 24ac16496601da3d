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
    if (msg.type() === 'error' && !/status of 40[134]|status of 412|status of 415|Failed to load resource/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
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
