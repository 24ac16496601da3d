#!/usr/bin/env node
'use strict';

/**
 * Upstream resilience load script (issue 4's closing figures). Not a timed test.
 *
 *     npm run build && node tools/bench/resilience.js [--seconds N] [--workers N] [--connections N]
 *
 * Starts the built daemon (apps/weir/dist/main.js) with `workers` workers and, in a child
 * process (so they do not share the load generator's event loop), fault-injecting upstreams on
 * loopback. Then, with `connections` keep-alive client connections in a closed loop:
 *
 * A. One bad endpoint of three. Two upstreams of three endpoints each, where one endpoint
 *    answers every request with 503 and the other two with 200. `/default/` forwards with the
 *    config defaults (outlier detection on; retries only on connect failures and resets, so a
 *    503 reaches the client); `/retry/` adds `retryOn: ["gateway-error"]`. For each, `seconds`
 *    of GETs: the client success rate (overall and after the first 10 s analysis interval) and
 *    how many requests the bad endpoint received.
 *
 * B. All endpoints down. An upstream whose two endpoints accept TCP connections and reset them
 *    at once (counting every connection attempt), with the failure-ratio breaker on (defaults:
 *    50% of at least 20 attempts in 10 s opens it for 5 s, then 3 probes). Once every worker
 *    answers 503 WEIR_ERR_BREAKER_OPEN, alternating 2 s phases of `/down/` (breaker open) and
 *    `/direct` (a direct-response 503, no upstream) measure p50/p99 latency of each, and the
 *    upstream connection attempts during the `/down/` phases (only half-open probes may reach
 *    it: at most 3 per worker per 5 s).
 *
 * Prints Markdown tables and a JSON line, and stops everything on exit (also on failure).
 */

const { spawn, fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');

const say = (line) => process.stderr.write(`[resilience-bench] ${line}\n`);

// --- upstreams (child process) ------------------------------------------------------------

/**
 * Child-process mode: starts the upstreams and reports their ports; answers `counts` messages
 * with the requests (HTTP) or connection attempts (TCP) each one has seen.
 */
async function runUpstreams() {
  const counts = {};
  const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  const httpServer = (name, status) => {
    counts[name] = 0;
    const server = http.createServer((req, res) => {
      counts[name]++;
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'text/plain', 'content-length': status === 200 ? 3 : 4 });
        res.end(status === 200 ? 'ok\n' : 'bad\n');
      });
    });
    server.keepAliveTimeout = 60_000;
    return listen(server);
  };
  const resettingServer = (name) => {
    counts[name] = 0;
    const server = net.createServer((socket) => {
      counts[name]++;
      socket.resetAndDestroy();
    });
    return listen(server);
  };
  const ports = {};
  for (const group of ['default', 'retry']) {
    ports[`${group}-bad`] = await httpServer(`${group}-bad`, 503);
    ports[`${group}-good1`] = await httpServer(`${group}-good1`, 200);
    ports[`${group}-good2`] = await httpServer(`${group}-good2`, 200);
  }
  ports['down-1'] = await resettingServer('down-1');
  ports['down-2'] = await resettingServer('down-2');
  process.on('message', (message) => {
    if (message === 'counts') process.send({ counts: { ...counts } });
  });
  process.send({ ports });
}

function startUpstreams() {
  const child = fork(__filename, ['--upstreams'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.ports));
    child.once('exit', (code) => reject(new Error(`the upstreams exited (${code})`)));
  });
  const counts = () =>
    new Promise((resolve) => {
      child.once('message', (message) => resolve(message.counts));
      child.send('counts');
    });
  return { child, ready, counts };
}

// --- daemon ---------------------------------------------------------------------------------

function configFor(ports, workers) {
  const endpoints = (...names) => names.map((name) => ({ address: `127.0.0.1:${ports[name]}` }));
  return {
    workers,
    logging: { level: 'warn' },
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [
      { name: 'default', match: { path: { prefix: '/default/' } }, upstream: 'default' },
      { name: 'retry', match: { path: { prefix: '/retry/' } }, upstream: 'retry', retry: { retryOn: ['connect-failure', 'reset', 'gateway-error'] } },
      { name: 'down', match: { path: { prefix: '/down/' } }, upstream: 'down' },
      { name: 'direct', match: { path: { exact: '/direct' } }, directResponse: { status: 503, body: 'no upstream\n' } },
    ],
    upstreams: [
      { name: 'default', endpoints: endpoints('default-bad', 'default-good1', 'default-good2') },
      { name: 'retry', endpoints: endpoints('retry-bad', 'retry-good1', 'retry-good2') },
      { name: 'down', endpoints: endpoints('down-1', 'down-2'), circuitBreaker: { failureRatio: {} } },
    ],
  };
}

function startDaemon(configPath, stateDir) {
  const child = spawn(process.execPath, [DAEMON, '--config', configPath, '--state-dir', stateDir, '--no-watch'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEIR_ADMIN_LISTEN: '127.0.0.1:0', WEIR_LOG_LEVEL: 'info' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const ready = new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (text) => {
      let line;
      try {
        line = JSON.parse(text);
      } catch {
        return;
      }
      if (line.msg === 'weir ready') resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the daemon exited (${code}) before "weir ready"\n${stderr}`)));
  });
  return { child, ready };
}

// --- load -----------------------------------------------------------------------------------

function get(agent, port, pathname) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, code: res.headers['x-weir-error'] ?? null, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `connections` closed loops of GET `pathname` for `ms`; every result, with its start time. */
async function load(port, pathname, connections, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const results = [];
  const start = Date.now();
  const end = start + ms;
  const loops = [];
  for (let c = 0; c < connections; c++) {
    loops.push(
      (async () => {
        while (Date.now() < end) {
          const at = Date.now() - start;
          try {
            results.push({ at, ...(await get(agent, port, pathname)) });
          } catch {
            results.push({ at, status: 0, code: 'client-error', ms: NaN });
          }
        }
      })(),
    );
  }
  await Promise.all(loops);
  agent.destroy();
  return results;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(3)}%`);
const ms = (value) => (Number.isFinite(value) ? value.toFixed(2) : '-');

// --- scenarios ------------------------------------------------------------------------------

async function oneBadEndpoint(port, upstreams, group, options) {
  const before = await upstreams.counts();
  const results = await load(port, `/${group}/x`, options.connections, options.seconds * 1000);
  const after = await upstreams.counts();
  const late = results.filter((r) => r.at >= 10_000);
  const ok = (list) => list.filter((r) => r.status === 200).length;
  return {
    route: group,
    requests: results.length,
    success: ok(results) / results.length,
    successAfter10s: late.length === 0 ? NaN : ok(late) / late.length,
    requestsAfter10s: late.length,
    badEndpointRequests: after[`${group}-bad`] - before[`${group}-bad`],
    goodEndpointRequests: after[`${group}-good1`] - before[`${group}-good1`] + (after[`${group}-good2`] - before[`${group}-good2`]),
  };
}

async function allDown(port, upstreams, options) {
  // Trip every worker's breaker: wait for a run of 200 consecutive breaker-open answers.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  let run = 0;
  for (let i = 0; i < 100_000 && run < 200; i++) {
    const r = await get(agent, port, '/down/warm');
    run = r.code === 'WEIR_ERR_BREAKER_OPEN' ? run + 1 : 0;
  }
  agent.destroy();
  if (run < 200) throw new Error('the breaker never opened');
  const down = [];
  const direct = [];
  let attempts = 0;
  const phases = Math.max(2, Math.round(options.seconds / 4));
  const started = Date.now();
  for (let phase = 0; phase < phases; phase++) {
    const before = await upstreams.counts();
    down.push(...(await load(port, '/down/x', options.connections, 2_000)));
    const after = await upstreams.counts();
    attempts += after['down-1'] - before['down-1'] + (after['down-2'] - before['down-2']);
    direct.push(...(await load(port, '/direct', options.connections, 2_000)));
  }
  // The open period runs on wall time, /direct phases included: each worker may half-open once
  // per openMs (5 s) and let 3 probes through.
  const wallMs = Date.now() - started;
  const latencies = (list) => list.map((r) => r.ms).filter(Number.isFinite).sort((a, b) => a - b);
  const d = latencies(down);
  const x = latencies(direct);
  return {
    downRequests: down.length,
    breakerOpenAnswers: down.filter((r) => r.code === 'WEIR_ERR_BREAKER_OPEN').length,
    downP50: percentile(d, 50),
    downP99: percentile(d, 99),
    directRequests: direct.length,
    directP50: percentile(x, 50),
    directP99: percentile(x, 99),
    connectionAttemptsWhileOpen: attempts,
    probeAllowance: options.workers * 3 * Math.ceil(wallMs / 5_000),
  };
}

// --- main -----------------------------------------------------------------------------------

function parseOptions(argv) {
  const options = { seconds: 30, workers: 2, connections: 16 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (['--seconds', '--workers', '--connections'].includes(flag) && Number.isInteger(value) && value > 0) {
      options[flag.slice(2)] = value;
      i++;
    } else {
      throw new Error(`usage: node tools/bench/resilience.js [--seconds N] [--workers N] [--connections N] (got "${flag}")`);
    }
  }
  return options;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(DAEMON)) throw new Error(`${DAEMON} is missing: run "npm run build" first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-resilience-bench-'));
  const upstreams = startUpstreams();
  let daemon = null;
  const stop = () => {
    if (daemon !== null && daemon.child.exitCode === null) daemon.child.kill('SIGTERM');
    if (upstreams.child.exitCode === null) upstreams.child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    const ports = await upstreams.ready;
    const configPath = path.join(dir, 'weir.json');
    fs.writeFileSync(configPath, JSON.stringify(configFor(ports, options.workers)));
    daemon = startDaemon(configPath, path.join(dir, 'state'));
    const ready = await daemon.ready;
    const port = ready.listeners[0].port;
    say(`daemon ready: ${options.workers} workers on 127.0.0.1:${port}; ${options.connections} connections, ${options.seconds} s per run`);

    const a = [];
    for (const group of ['default', 'retry']) {
      say(`A: one bad endpoint of three, route /${group}/ ...`);
      a.push(await oneBadEndpoint(port, upstreams, group, options));
    }
    say('B: all endpoints down, breaker open vs direct response ...');
    const b = await allDown(port, upstreams, options);

    const rowsA = a.map(
      (r) =>
        `| /${r.route}/ | ${r.requests} | ${pct(r.success * r.requests, r.requests)} | ${pct(r.successAfter10s * r.requestsAfter10s, r.requestsAfter10s)} | ${r.badEndpointRequests} | ${r.goodEndpointRequests} |`,
    );
    process.stdout.write(
      [
        `### A. 3 endpoints, 1 answering 503 (${options.seconds} s of GETs, ${options.connections} connections, ${options.workers} workers)`,
        '',
        '| route | requests | client success | success after 10 s | requests to the bad endpoint | requests to the good ones |',
        '|---|---|---|---|---|---|',
        ...rowsA,
        '',
        `### B. All endpoints down: breaker open vs direct response (${options.connections} connections)`,
        '',
        '| path | requests | p50 ms | p99 ms |',
        '|---|---|---|---|',
        `| /down/ (503 breaker open: ${b.breakerOpenAnswers} of ${b.downRequests}) | ${b.downRequests} | ${ms(b.downP50)} | ${ms(b.downP99)} |`,
        `| /direct (direct 503) | ${b.directRequests} | ${ms(b.directP50)} | ${ms(b.directP99)} |`,
        '',
        `p99 difference: ${ms(b.downP99 - b.directP99)} ms. Upstream connection attempts during the /down/ phases: ${b.connectionAttemptsWhileOpen} (half-open probe requests allowed over the measurement: at most ${b.probeAllowance}; undici may reconnect once more for a probe whose fresh connection is reset before the request is written).`,
        '',
        JSON.stringify({ options, oneBadEndpoint: a, allDown: b }),
        '',
      ].join('\n'),
    );
  } finally {
    stop();
  }
}

if (process.argv[2] === '--upstreams') {
  runUpstreams().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    process.stderr.write(`[resilience-bench] failed: ${err.stack ?? err}\n`);
    process.exitCode = 1;
  });
}
