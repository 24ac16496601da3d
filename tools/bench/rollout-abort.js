#!/usr/bin/env node
'use strict';

/**
 * Bad-rollout load script (issue 11's closing figures). Not a timed test.
 *
 *     npm run build && node tools/bench/rollout-abort.js [--connections N] [--workers N] [--rounds N]
 *
 * Starts the built daemon with `workers` workers and its admin API on a free loopback port, and,
 * in a child process, two upstreams: `good` answers 200, `bad` answers 500. The running config
 * routes everything to `good`. With `connections` keep-alive clients in a closed loop, it starts
 * a rollout of a candidate that routes to `bad`, with the default stages (1%, 10%, 50%, 100%) and
 * the default analysis (20 candidate requests for a verdict), and follows it until the analysis
 * aborts it; the load goes on for 3 s after the abort. Per round it reports:
 *
 * - time from the first failing client response to the abort (the abort event's timestamp);
 * - the share of client requests that failed between the rollout's start and its abort, against
 *   the bound first-stage share x candidate error rate (1% x 100%);
 * - failed requests sent after the abort was answered (the goal is none).
 */

const { spawn, fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { freePorts } = require('./lib/free-ports');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');
const say = (line) => process.stderr.write(`[rollout-bench] ${line}\n`);

if (process.argv[2] === '--upstreams') {
  const listen = (status) => new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-length': 2 });
        res.end('ok');
      });
    });
    server.keepAliveTimeout = 30_000;
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
  Promise.all([listen(200), listen(500)]).then(([good, bad]) => process.send({ good, bad }));
  return;
}

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const connections = flag('--connections', 16);
const workers = flag('--workers', 2);
const rounds = flag('--rounds', 3);

function call(port, method, target, token, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Closed-loop load: every sample is [sentAt, doneAt, status]. */
function startLoad(port, deadline) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples = [];
  let stopped = false;
  const one = () => new Promise((resolve) => {
    const sent = Date.now();
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve([sent, Date.now(), res.statusCode]));
    });
    req.on('error', () => resolve([sent, Date.now(), 0]));
  });
  const loops = Array.from({ length: connections }, async () => {
    while (!stopped && Date.now() < deadline) samples.push(await one());
  });
  return { samples, stop: async () => { stopped = true; await Promise.all(loops); agent.destroy(); } };
}

async function main() {
  if (!fs.existsSync(DAEMON)) throw new Error('build first: npm run build');
  const child = fork(__filename, ['--upstreams'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ups = await new Promise((resolve) => child.once('message', resolve));
  const { generateToken, hashToken } = require(path.join(ROOT, 'packages', 'controlplane', 'dist', 'index.js'));
  const token = generateToken();
  const [port, adminPort] = await freePorts(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-rollout-bench-'));
  const config = {
    workers,
    logging: { level: 'warn' },
    admin: { listen: { address: '127.0.0.1', port: adminPort }, tokens: [{ name: 'bench', hash: hashToken(token), scopes: ['read', 'rollout'] }] },
    listeners: [{ name: 'main', address: '127.0.0.1', port }],
    routes: [{ name: 'api', upstream: 'good' }],
    upstreams: [{ name: 'good', endpoints: [{ address: `127.0.0.1:${ups.good}` }] }, { name: 'bad', endpoints: [{ address: `127.0.0.1:${ups.bad}` }] }],
  };
  fs.writeFileSync(path.join(dir, 'weir.json'), JSON.stringify(config));
  const daemon = spawn(process.execPath, [DAEMON, '--config', path.join(dir, 'weir.json'), '--state-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WEIR_ADMIN_LISTEN: `127.0.0.1:${adminPort}` } });
  const stopAll = () => { daemon.kill('SIGTERM'); child.kill(); };
  process.on('exit', stopAll);
  // Ready when the admin API answers (it starts after the first commit) and the proxy serves.
  let exited = false;
  daemon.once('exit', () => (exited = true));
  for (let i = 0; ; i++) {
    if (exited || i > 300) throw new Error('the daemon did not become ready');
    const up = await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    const load = startLoad(port, Date.now() + 120_000);
    await new Promise((r) => setTimeout(r, 1_000)); // warm-up traffic on stable (not measured)
    const started = Date.now();
    const start = await call(adminPort, 'POST', '/admin/rollouts', token, { config: { ...config, routes: [{ name: 'api', upstream: 'bad' }] } });
    if (start.status !== 201) throw new Error(`rollout refused: ${JSON.stringify(start.json)}`);
    let r = start.json;
    for (let i = 0; i < 60 && (r.state === 'running' || r.state === 'paused'); i++) r = (await call(adminPort, 'GET', `/admin/rollouts/${r.id}?wait=5`, token)).json;
    const answeredAt = Date.now();
    const abortAt = Date.parse(r.events.find((e) => e.event === 'aborted')?.at ?? '');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await load.stop();
    const during = load.samples.filter(([sent]) => sent >= started && sent <= abortAt);
    const failedDuring = during.filter(([, , status]) => status !== 200);
    const firstFailure = Math.min(...load.samples.filter(([, , s]) => s !== 200).map(([, done]) => done));
    const after = load.samples.filter(([sent]) => sent > answeredAt);
    rows.push({
      round,
      state: r.state,
      by: r.outcome?.by ?? null,
      toAbortMs: abortAt - firstFailure,
      requestsDuring: during.length,
      failedShare: during.length === 0 ? 0 : failedDuring.length / during.length,
      candidateRequests: r.lastAnalysis?.candidate.requests ?? null,
      requestsAfter: after.length,
      failedAfter: after.filter(([, , s]) => s !== 200).length,
    });
    say(`round ${round}: ${JSON.stringify(rows[rows.length - 1])}`);
  }
  console.log(`\n| round | outcome | first failure -> abort | requests during | failed share (bound 1%) | requests after abort | failed after |`);
  console.log('|---:|---|---:|---:|---:|---:|---:|');
  for (const x of rows) {
    console.log(`| ${x.round} | ${x.state} by ${x.by} | ${x.toAbortMs} ms | ${x.requestsDuring} | ${(x.failedShare * 100).toFixed(2)}% | ${x.requestsAfter} | ${x.failedAfter} |`);
  }
  console.log(JSON.stringify({ connections, workers, rows }));
  stopAll();
  process.exit(0);
}

main().catch((err) => {
  say(err.stack);
  process.exit(1);
});
