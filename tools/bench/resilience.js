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
 *    50% of at least 20 attempts in 10 s opens it for 5 s, then 3 probes). Warm-up rounds of
 *    `/down/` load trip every worker's breaker (each worker has its own, and the kernel spreads
 *    connections over workers unevenly, so one connection trips only one worker). Then
 *    alternating 2 s phases of `/down/` (breaker open) and `/direct` (a direct-response 503, no
 *    upstream) measure p50/p99 latency of each, and the upstream connection attempts during the
 *    `/down/` phases. The allowance is counted from the breakers' own transitions, read from the
 *    daemon's metrics per phase: every half-open window begins lazily with the first request
 *    after `openMs` and here ends with an open (every probe fails), so a phase may cost at most
 *    `halfOpenProbes` x (breaker opens during the phase) attempts. Attempts are also compared with
 *    `weir_upstream_errors_total` (one failed attempt per connection: undici must not reconnect
 *    on its own).
 *
 * Prints Markdown tables and a JSON line, and stops everything on exit (also on failure).
 */

const { spawnDaemon } = require('./lib/daemon-process');
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

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

/** A read token and its config entry (the same salted sha256 form as `weir token`). */
function makeToken() {
  const token = 'weir_' + crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('base64url');
  const digest = crypto.createHash('sha256').update(salt).update(token).digest('hex');
  return { token, entry: { name: 'bench', hash: `sha256$${salt}$${digest}`, scopes: ['read'] } };
}

/** Error codes of requests that Weir failed without an upstream attempt. */
const FAST_FAILS = ['code="WEIR_ERR_BREAKER_OPEN"', 'code="WEIR_ERR_UPSTREAM_OVERFLOW"', 'code="WEIR_ERR_NO_ENDPOINT"'];

/**
 * The daemon's counters for upstream `down` (summed over workers by the primary): failed
 * attempts (`weir_upstream_errors_total` without the fast-fail codes; every attempt fails
 * here), breaker opens and retries.
 */
function downCounters(adminPort, token) {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${adminPort}`, authorization: `Bearer ${token}` };
    const req = http.request({ host: '127.0.0.1', port: adminPort, path: '/metrics', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET /metrics answered ${res.statusCode}`));
        const sum = (name) => {
          let total = 0;
          for (const line of text.split('\n')) {
            if (!line.startsWith(`${name}{`) || !line.includes('upstream="down"') || FAST_FAILS.some((code) => line.includes(code))) continue;
            total += Number(line.slice(line.lastIndexOf(' ') + 1));
          }
          return total;
        };
        resolve({ attempts: sum('weir_upstream_errors_total'), opens: sum('weir_circuit_breaker_opens_total'), retries: sum('weir_upstream_retries_total') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function configFor(ports, workers, tokenEntry) {
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
    admin: { tokens: [tokenEntry] },
  };
}

function startDaemon(configPath, stateDir) {
  return spawnDaemon(DAEMON, ['--config', configPath, '--state-dir', stateDir, '--no-watch'], {
    WEIR_ADMIN_LISTEN: '127.0.0.1:0',
    WEIR_LOG_LEVEL: 'info',
  });
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

/** Probes per half-open window: the `failureRatio.halfOpenProbes` default, which `down` uses. */
const HALF_OPEN_PROBES = 3;

/**
 * `ms` of `/down/` load with its accounting: TCP connection attempts at the upstreams, and the
 * daemon's failed attempts, breaker opens and retries over the same span. The counters are read
 * after every response arrived, so each half-open window begun in the phase has ended in it
 * (its probes failed and the breaker reopened): the phase may cost HALF_OPEN_PROBES attempts
 * per open.
 */
async function downPhase(port, upstreams, admin, connections, ms) {
  const before = await upstreams.counts();
  const c0 = await downCounters(admin.port, admin.token);
  const results = await load(port, '/down/x', connections, ms);
  const after = await upstreams.counts();
  const c1 = await downCounters(admin.port, admin.token);
  const opens = c1.opens - c0.opens;
  return {
    results,
    connects: after['down-1'] - before['down-1'] + (after['down-2'] - before['down-2']),
    attempts: c1.attempts - c0.attempts,
    retries: c1.retries - c0.retries,
    opens,
    allowance: HALF_OPEN_PROBES * opens,
  };
}

async function allDown(port, upstreams, admin, options) {
  // Trip every worker's breaker. Each worker has its own and the kernel spreads connections over
  // the workers unevenly (SCHED_NONE), so warm up with the measurement's own load until a round
  // costs no more than half-open probes, after at least one open per worker.
  const warmup = [];
  let opens = 0;
  for (let round = 0; round < 20; round++) {
    const w = await downPhase(port, upstreams, admin, options.connections, 2_000);
    opens += w.opens;
    warmup.push({ connects: w.connects, attempts: w.attempts, opens: w.opens, allowance: w.allowance });
    if (round > 0 && opens >= options.workers && w.connects <= w.allowance) break;
  }
  const tripped = warmup[warmup.length - 1];
  if (opens < options.workers || tripped.connects > tripped.allowance) throw new Error(`the breakers never all opened: ${JSON.stringify(warmup)}`);
  const down = [];
  const direct = [];
  const phases = [];
  const count = Math.max(2, Math.round(options.seconds / 4));
  for (let phase = 0; phase < count; phase++) {
    const d = await downPhase(port, upstreams, admin, options.connections, 2_000);
    down.push(...d.results);
    phases.push({ connects: d.connects, attempts: d.attempts, retries: d.retries, opens: d.opens, allowance: d.allowance });
    direct.push(...(await load(port, '/direct', options.connections, 2_000)));
  }
  const total = (key) => phases.reduce((n, p) => n + p[key], 0);
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
    connectionAttemptsWhileOpen: total('connects'),
    failedAttemptsWhileOpen: total('attempts'),
    retriesWhileOpen: total('retries'),
    halfOpenWindows: total('opens'),
    probeAllowance: total('allowance'),
    attemptsBeyondProbes: phases.reduce((n, p) => n + Math.max(0, p.connects - p.allowance), 0),
    warmup,
    phases,
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
    const { token, entry } = makeToken();
    fs.writeFileSync(configPath, JSON.stringify(configFor(ports, options.workers, entry)));
    daemon = startDaemon(configPath, path.join(dir, 'state'));
    const ready = await daemon.ready;
    const port = ready.listeners[0].port;
    const admin = { port: ready.admin.port, token };
    say(`daemon ready: ${options.workers} workers on 127.0.0.1:${port}; ${options.connections} connections, ${options.seconds} s per run`);

    const a = [];
    for (const group of ['default', 'retry']) {
      say(`A: one bad endpoint of three, route /${group}/ ...`);
      a.push(await oneBadEndpoint(port, upstreams, group, options));
    }
    say('B: all endpoints down, breaker open vs direct response ...');
    const b = await allDown(port, upstreams, admin, options);

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
        `p99 difference: ${ms(b.downP99 - b.directP99)} ms. Upstream connection attempts during the /down/ phases: ${b.connectionAttemptsWhileOpen} (failed attempts counted by Weir: ${b.failedAttemptsWhileOpen}, retries: ${b.retriesWhileOpen}); half-open windows: ${b.halfOpenWindows}, so at most ${b.probeAllowance} probes; attempts beyond the probes: ${b.attemptsBeyondProbes}.`,
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
