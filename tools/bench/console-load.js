#!/usr/bin/env node
'use strict';

/**
 * Operator console load figures (issue 17's closing note). Not a timed test.
 *
 *     npm run build && node tools/bench/console-load.js [--seconds N] [--consoles N] [--concurrency N] [--workers N] [--loads N] [--rounds N]
 *
 * Starts the built daemon (2 workers, admin API on a free loopback port, one `read` token, a
 * direct-response route) and drives `GET /admin/status` and `GET /admin/config`, alternating,
 * with `concurrency` closed-loop keep-alive clients for `seconds` per phase, recording every
 * latency.
 *
 * The API's cost: `rounds` pairs of phases, no console and `consoles` consoles' requests without
 * a browser (the overview's long poll and its stats every 2 s, `emulateConsoles`), in alternating
 * order; the figure is the median over pairs of the p99 ratio (phases of one pair run seconds
 * apart, so the machine's drift weighs on both). Then the pages themselves: `consoles` headless
 * chromium pages (Debian's chromium through playwright-core, one browser context each) signed in
 * on the overview, between two no-console phases. The pages render on the same machine, so their
 * CPU competes with the daemon and the load generator: that figure is what a host running the
 * browsers too would see, not the API's cost.
 *
 * Before the phases it measures the console's time to first render: `loads` reloads of a
 * signed-in tab, from navigation start to the overview showing the running version (the
 * method of apps/weir/test/harness/browser.ts `firstRenderMs`).
 *
 * Prints Markdown tables and a JSON line; stops the browser and the daemon on exit.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { spawnDaemon } = require('./lib/daemon-process');
const { adminRequest } = require('./lib/admin-request');
const { treeCpuSeconds } = require('./lib/process-cpu');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');
const BUNDLE = path.join(ROOT, 'apps', 'console', 'dist', 'console.js');
const say = (line) => process.stderr.write(`[console-bench] ${line}\n`);

function parseOptions(argv) {
  const options = { seconds: 15, consoles: 10, concurrency: 4, workers: 2, loads: 5, rounds: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = (argv[i] ?? '').replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) {
      throw new Error(`usage: node tools/bench/console-load.js [--seconds N] [--consoles N] [--concurrency N] [--workers N] [--loads N] [--rounds N] (got "${argv[i]}")`);
    }
    options[key] = value;
  }
  return options;
}

function chromiumPath() {
  for (const candidate of [process.env.WEIR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** A token and its config entry (the salted sha256 form of `weir token`). */
function makeToken() {
  const token = 'weir_' + crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('base64url');
  const digest = crypto.createHash('sha256').update(salt).update(token).digest('hex');
  return { token, entry: { name: 'bench', hash: `sha256$${salt}$${digest}`, scopes: ['read'] } };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `concurrency` closed loops over GET /admin/status and GET /admin/config for `seconds`; latencies in ms. */
async function drive(port, token, concurrency, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async (n) => {
    for (let i = n; performance.now() < deadline; i++) {
      const started = performance.now();
      const answer = await adminRequest(agent, port, 'GET', i % 2 === 0 ? '/admin/status' : '/admin/config', token).catch(() => ({ status: 0 }));
      if (answer.status !== 200) errors++;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => loop(n)));
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { requests: sorted.length, errors, rps: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** GET with headers on `agent`; resolves with the status and the ETag. */
function get(agent, port, target, token, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag }));
    });
    req.on('error', reject);
  });
}

/**
 * `count` consoles without a browser: each holds the overview's requests (the status long poll
 * with If-None-Match and `?wait=25`, `GET /admin/stats?seconds=300` every 2 s), so the API's own
 * cost of open consoles is measured apart from the pages' rendering. Returns a stop function.
 */
function emulateConsoles(port, token, count) {
  const agent = new http.Agent({ keepAlive: true });
  let stopped = false;
  let requests = 0;
  const timers = [];
  for (let i = 0; i < count; i++) {
    void (async () => {
      let etag;
      while (!stopped) {
        const answer = await get(agent, port, etag === undefined ? '/admin/status' : '/admin/status?wait=25', token, etag === undefined ? {} : { 'if-none-match': etag }).catch(() => null);
        requests++;
        if (answer === null) return;
        etag = answer.etag;
      }
    })();
    timers.push(setInterval(() => {
      requests++;
      void get(agent, port, '/admin/stats?seconds=300', token).catch(() => undefined);
    }, 2000));
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearInterval(timer);
    agent.destroy();
    return requests;
  };
}

/**
 * `run` with CPU over the phase, in % of one core: the daemon's (primary and workers), this
 * script's, and the browser's (every other process under this one: chromium and its renderers).
 */
async function phase(name, pid, run) {
  const cpu = () => {
    const own = process.cpuUsage();
    return { daemon: treeCpuSeconds(pid), all: treeCpuSeconds(process.pid), self: (own.user + own.system) / 1e6 };
  };
  const before = cpu();
  const started = performance.now();
  const result = await run();
  const after = cpu();
  const pct = (seconds) => (seconds / ((performance.now() - started) / 1000)) * 100;
  const daemon = after.daemon - before.daemon;
  const self = after.self - before.self;
  return { phase: name, daemonCpu: pct(daemon), benchCpu: pct(self), browserCpu: pct(after.all - before.all - daemon - self), ...result };
}

const PROBE = `new MutationObserver((_, observer) => {
  const el = document.querySelector('[data-testid="running-version"]');
  if (el !== null && /^v-/.test(el.textContent || '')) { window.__weirFirstRender = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true, characterData: true });`;

/** A fresh context on the console, signed in, on the overview with its charts drawn. */
async function openConsole(browser, url, token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(url);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="running-version"]', { hasText: /^v-/ }).waitFor({ timeout: 15_000 });
  await page.locator('.chart[data-samples]').first().waitFor({ timeout: 15_000 });
  return page;
}

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');

async function main() {
  const options = parseOptions(process.argv.slice(2));
  for (const file of [DAEMON, BUNDLE]) if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error("Debian's chromium is needed (apt-get install -y chromium)");
  const { chromium } = require('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-console-bench-'));
  const { token, entry } = makeToken();
  const config = {
    workers: options.workers,
    logging: { level: 'warn' },
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [{ name: 'hello', directResponse: { status: 200, body: 'hello' } }],
    upstreams: [],
    admin: { tokens: [entry] },
  };
  fs.writeFileSync(path.join(dir, 'weir.json'), JSON.stringify(config));
  const daemon = spawnDaemon(DAEMON, ['--config', path.join(dir, 'weir.json'), '--state-dir', path.join(dir, 'state'), '--no-watch'], {
    WEIR_ADMIN_LISTEN: '127.0.0.1:0',
    WEIR_LOG_LEVEL: 'info',
  });
  let browser = null;
  const stop = async () => {
    if (browser !== null) await browser.close().catch(() => undefined);
    browser = null;
    if (daemon.child.exitCode === null) daemon.child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const port = (await daemon.ready).admin.port;
    const url = `http://127.0.0.1:${port}/ui/`;
    say(`daemon ready: ${options.workers} workers, admin on 127.0.0.1:${port}`);
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

    // Time to first render, on a signed-in tab (the token stays in sessionStorage on reload).
    const first = await openConsole(browser, url, token);
    const renders = [];
    for (let i = 0; i < options.loads; i++) {
      await first.reload();
      await first.locator('[data-testid="running-version"]', { hasText: /^v-/ }).waitFor();
      renders.push(await first.evaluate('window.__weirFirstRender'));
    }
    await first.context().close();
    const sortedRenders = [...renders].sort((a, b) => a - b);
    say(`first render (ms): ${renders.map((t) => f(t)).join(', ')}`);

    await drive(port, token, options.concurrency, 2); // warm-up, not reported
    const pid = daemon.child.pid;
    const measure = () => drive(port, token, options.concurrency, options.seconds);
    // API only: `rounds` pairs of phases (no console, the consoles' requests), in alternating
    // order, so the p99 ratio of each pair is taken seconds apart on the same machine state.
    const pairs = [];
    for (let round = 0; round < options.rounds; round++) {
      const none = () => phase('no console', pid, async () => ({ consoleRequests: 0, ...(await measure()) }));
      const emulated = () =>
        phase(`${options.consoles} consoles' requests, no browser`, pid, async () => {
          const stop = emulateConsoles(port, token, options.consoles);
          const result = await measure();
          return { ...result, consoleRequests: stop() };
        });
      say(`round ${round + 1}/${options.rounds}: no console and ${options.consoles} consoles' requests, ${options.seconds} s each`);
      const pair = round % 2 === 0 ? { none: await none(), with: await emulated() } : { with: await emulated(), none: await none() };
      pairs.push(pair);
    }
    const ratios = pairs.map((p) => p.with.p99 / p.none.p99).sort((a, b) => a - b);
    const apiRatio = percentile(ratios, 50);

    // Browsers on this machine: baseline, the pages, baseline again.
    const phases = [];
    say(`browser phase 1: no console, ${options.seconds} s`);
    phases.push(await phase('no console', pid, async () => ({ consoleRequests: 0, ...(await measure()) })));
    say(`opening ${options.consoles} consoles`);
    const pages = [];
    for (let i = 0; i < options.consoles; i++) pages.push(await openConsole(browser, url, token));
    let consoleRequests = 0;
    for (const page of pages) page.on('request', () => consoleRequests++);
    say(`browser phase 2: ${options.consoles} consoles on the overview, ${options.seconds} s`);
    phases.push(await phase(`${options.consoles} consoles (chromium)`, pid, async () => ({ ...(await measure()), consoleRequests })));
    for (const page of pages) await page.context().close();
    say(`browser phase 3: no console again, ${options.seconds} s`);
    phases.push(await phase('no console (again)', pid, async () => ({ consoleRequests: 0, ...(await measure()) })));

    const base = Math.max(phases[0].p99, phases[2].p99);
    const row = (p, note) =>
      `| ${p.phase} | ${p.requests} | ${f(p.rps, 0)} | ${p.errors} | ${f(p.p50, 2)} | ${f(p.p99, 2)} | ${f(p.max, 1)} | ${f(p.consoleRequests / options.seconds, 1)} | ${f(p.daemonCpu, 0)} / ${f(p.benchCpu, 0)} / ${f(Math.max(0, p.browserCpu), 0)} | ${note} |`;
    const pct = (r) => `${r >= 1 ? '+' : ''}${f((r - 1) * 100, 0)} %`;
    const lines = [
      `Admin API, GET /admin/status and GET /admin/config alternating, ${options.concurrency} closed-loop clients, ${options.seconds} s per phase, ${options.workers} workers, loopback.`,
      '',
      `The admin API with ${options.consoles} consoles' requests (no browser), ${options.rounds} rounds of a pair of phases in alternating order:`,
      '',
      '| phase | requests | req/s | errors | p50 ms | p99 ms | max ms | console requests/s | CPU % daemon / driver / browser | p99 / pair\'s no-console p99 |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...pairs.flatMap((p) => [row(p.none, ''), row(p.with, pct(p.with.p99 / p.none.p99))]),
      '',
      `API p99 with ${options.consoles} consoles against none: median of the pairs ${pct(apiRatio)} (goal: within 10%).`,
      '',
      `${options.consoles} chromium pages on the overview, rendering on this machine (their CPU competes with the daemon and the load):`,
      '',
      '| phase | requests | req/s | errors | p50 ms | p99 ms | max ms | console requests/s | CPU % daemon / driver / browser | p99 vs worse baseline |',
      '|---|---|---|---|---|---|---|---|---|---|',
      row(phases[0], ''),
      row(phases[1], pct(phases[1].p99 / base)),
      row(phases[2], ''),
      '',
      `Time to first render (signed-in tab, navigation start to the running version shown), ${options.loads} loads: median ${f(percentile(sortedRenders, 50))} ms, min ${f(sortedRenders[0])} ms, max ${f(sortedRenders[sortedRenders.length - 1])} ms.`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    process.stdout.write(JSON.stringify({ options, pairs, apiP99Ratio: apiRatio, browserPhases: phases, firstRenderMs: renders }) + '\n');
  } finally {
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
