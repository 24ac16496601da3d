#!/usr/bin/env node
'use strict';

/**
 * Big-apply benchmark (issue 15, "big applies stall traffic"). Not a timed test.
 *
 *     npm run build && node --expose-gc tools/bench/big-apply.js [--routes N] [--workers N]
 *         [--connections N] [--settle S] [--root DIR] [--skip-inprocess]
 *
 * 1. In process (unless --skip-inprocess): builds the same 100,000-route spec, encodes it, then
 *    decodes and assembles it the way a worker's prepare does (decodeSpecAsync + assembleAsync
 *    when the build has them, else the synchronous decodeSpec + assemble) while
 *    `perf_hooks.monitorEventLoopDelay` and a 1 ms probe timer watch the event loop; prints the
 *    longest block.
 * 2. End to end: starts the built daemon (`--root`/apps/weir/dist/main.js, default this
 *    repository; point it at a copy of an older build to compare) with `workers` workers, its
 *    admin API on a free loopback port and a loopback upstream; keeps `connections` closed-loop
 *    clients sending proxied GET /health; applies a config of `routes` routes (hosts
 *    h0..h999.example.com, prefixes /svcN, 100 upstreams) with POST /admin/config; prints the
 *    apply time and the proxied p50/p99/max of requests sent during the apply; then applies a
 *    2-route config back and waits `settle` seconds (default 60). RSS (VmRSS) of the primary
 *    and of each worker (pids from the daemon's `worker started` log lines) is read before,
 *    right after the big apply, and `settle` s after the 2-route apply.
 */

const { spawnDaemon } = require('./lib/daemon-process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { adminRequest } = require('./lib/admin-request');

const say = (line) => process.stderr.write(`[big-apply] ${line}\n`);

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i === -1) return fallback;
  return typeof fallback === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

const routesN = flag('--routes', 100_000);
const workers = flag('--workers', 2);
const connections = flag('--connections', 8);
const settleS = flag('--settle', 60);
const ROOT = path.resolve(flag('--root', path.resolve(__dirname, '..', '..')));
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');

function makeToken() {
  const token = 'weir_' + crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('base64url');
  const digest = crypto.createHash('sha256').update(salt).update(token).digest('hex');
  return { token, entry: { name: 'bench', hash: `sha256$${salt}$${digest}`, scopes: ['admin'] } };
}

/** The big config: a proxied /health route first, then `n` host + prefix routes. */
function bigConfig(n, base) {
  const routes = [base.routes[0]];
  for (let i = 0; i < n; i++) {
    routes.push({ name: `r${i}`, match: { hosts: [`h${i % 1000}.example.com`], path: { prefix: `/svc${i}` } }, upstream: `u${i % 100}` });
  }
  const upstreams = [base.upstreams[0]];
  for (let i = 0; i < 100; i++) upstreams.push({ name: `u${i}`, endpoints: [{ address: `127.0.0.1:${10000 + i}` }] });
  return { ...base, routes, upstreams };
}

function smallConfig(workersN, listenPort, upstreamPort, tokenEntry, generation) {
  return {
    workers: workersN,
    logging: { level: 'info' },
    admin: { tokens: [tokenEntry], maxBodyBytes: 256 * 1024 * 1024 },
    listeners: [{ name: 'main', address: '127.0.0.1', port: listenPort }],
    routes: [
      { name: 'health', match: { path: { exact: '/health' } }, upstream: 'up' },
      { name: 'other', directResponse: { status: 404, body: `generation ${generation}` } },
    ],
    upstreams: [{ name: 'up', endpoints: [{ address: `127.0.0.1:${upstreamPort}` }] }],
  };
}

function vmRssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]);
  } catch {
    return NaN;
  }
}

const request = adminRequest;

/** Closed-loop proxied load; every sample is [sentAt ms (performance.now), latency ms, status]. */
function startLoad(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples = [];
  let stopped = false;
  const one = () => new Promise((resolve) => {
    const sent = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve([sent, performance.now() - sent, res.statusCode]));
    });
    req.on('error', () => resolve([sent, performance.now() - sent, 0]));
  });
  const loops = Array.from({ length: connections }, async () => {
    while (!stopped) samples.push(await one());
  });
  return { samples, stop: async () => { stopped = true; await Promise.all(loops); agent.destroy(); } };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const mib = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(0) : '-');

/** Part 1: the worker's prepare work in this process, with the event loop watched. */
async function inProcess() {
  const req = (pkg) => require(path.join(ROOT, 'packages', pkg, 'dist', 'index.js'));
  const runtime = req('runtime');
  const dataplane = req('dataplane');
  const obs = req('obs');
  const { validateConfig } = req('config');
  const base = smallConfig(1, 0, 9, makeToken().entry, 0);
  const config = bigConfig(routesN, base);
  validateConfig(config);
  const spec = runtime.buildSpec(config);
  const bytes = runtime.encodeSpec(spec).slice();
  const asyncPath = typeof runtime.decodeSpecAsync === 'function' && typeof dataplane.assembleAsync === 'function';
  const registry = new dataplane.EndpointRegistry();
  const metrics = obs.createDataplaneMetrics();
  if (global.gc) global.gc();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    if (now - last > maxGap) maxGap = now - last;
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 50));
  maxGap = 0;
  histogram.enable();
  const started = performance.now();
  let decodeMs;
  let runtimeOut;
  const immediate = () => new Promise((r) => setImmediate(r));
  if (asyncPath) {
    const decoded = await runtime.decodeSpecAsync(bytes, immediate);
    decodeMs = performance.now() - started;
    runtimeOut = await dataplane.assembleAsync(decoded, null, { registry, metrics }, immediate);
  } else {
    const decoded = runtime.decodeSpec(bytes);
    decodeMs = performance.now() - started;
    // Let the probe see the decode block separately from the assemble block.
    await new Promise((r) => setTimeout(r, 2));
    runtimeOut = dataplane.assemble(decoded, null, { registry, metrics });
  }
  const totalMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 5));
  histogram.disable();
  clearInterval(probe);
  runtimeOut.retire();
  await registry.close(true);
  const result = {
    path: asyncPath ? 'decodeSpecAsync + assembleAsync' : 'decodeSpec + assemble (sync)',
    specBytes: bytes.length,
    decodeMs,
    totalMs,
    longestBlockMs: maxGap,
    loopDelayMaxMs: histogram.max / 1e6,
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
  };
  say(`in process: ${JSON.stringify(result)}`);
  return result;
}

/** Part 2: the daemon under load. */
async function endToEnd() {
  if (!fs.existsSync(DAEMON)) throw new Error(`${DAEMON} is missing: run "npm run build" first`);
  const upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  upstream.keepAliveTimeout = 30_000;
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const upstreamPort = upstream.address().port;
  const { freePorts } = require('./lib/free-ports');
  const [listenPort] = await freePorts(1);
  const { token, entry } = makeToken();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-big-apply-'));
  const configPath = path.join(dir, 'weir.json');
  const small = (gen) => smallConfig(workers, listenPort, upstreamPort, entry, gen);
  fs.writeFileSync(configPath, JSON.stringify(small(0)));
  const workerPids = [];
  const { child, ready } = spawnDaemon(
    DAEMON,
    ['--config', configPath, '--state-dir', path.join(dir, 'state'), '--no-watch'],
    { WEIR_ADMIN_LISTEN: '127.0.0.1:0', WEIR_LOG_LEVEL: 'info' },
    (line) => {
      if (line.msg === 'worker started' && typeof line.workerPid === 'number') workerPids.push(line.workerPid);
    },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    upstream.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const adminPort = (await ready).admin.port;
  const rss = () => ({ primary: vmRssKiB(child.pid), workers: workerPids.map(vmRssKiB) });
  const adminAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const apply = async (config) => {
    const body = JSON.stringify(config);
    const t0 = performance.now();
    const answer = await request(adminAgent, adminPort, 'POST', '/admin/config', token, body);
    const t1 = performance.now();
    if (answer.status !== 200) throw new Error(`apply answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    return { t0, t1, bytes: Buffer.byteLength(body) };
  };
  say(`daemon ready: pid ${child.pid}, workers ${workerPids.join(', ')}; admin on ${adminPort}`);
  const load = startLoad(listenPort);
  await new Promise((r) => setTimeout(r, 2_000)); // warm-up (not measured)
  const rssBefore = rss();
  const big = await apply(bigConfig(routesN, small(1)));
  const rssAfter = rss();
  await new Promise((r) => setTimeout(r, 500));
  await load.stop();
  const during = load.samples.filter(([sent]) => sent >= big.t0 && sent <= big.t1);
  const lat = during.map(([, l]) => l).sort((a, b) => a - b);
  const failed = during.filter(([, , s]) => s !== 200).length;
  const baseline = load.samples.filter(([sent]) => sent < big.t0).map(([, l]) => l).sort((a, b) => a - b);
  await apply(small(2));
  say(`2-route config applied; waiting ${settleS} s`);
  await new Promise((r) => setTimeout(r, settleS * 1_000));
  const rssSettled = rss();
  adminAgent.destroy();
  stop();
  return {
    routes: routesN,
    bodyBytes: big.bytes,
    applyMs: big.t1 - big.t0,
    before: { requests: baseline.length, p50: percentile(baseline, 50), p99: percentile(baseline, 99), max: baseline[baseline.length - 1] },
    during: { requests: lat.length, failed, over50: lat.filter((l) => l > 50).length, p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1] },
    rss: { before: rssBefore, afterBigApply: rssAfter, settled: rssSettled },
  };
}

async function main() {
  say(`root ${ROOT}; ${routesN} routes, ${workers} workers, ${connections} connections, settle ${settleS} s`);
  const local = process.argv.includes('--skip-inprocess') ? null : await inProcess();
  if (global.gc) global.gc();
  const e2e = await endToEnd();
  const out = [];
  if (local !== null) {
    out.push(`in process (${local.path}), ${(local.specBytes / 1e6).toFixed(1)} MB spec: decode ${f1(local.decodeMs)} ms, decode + assemble ${f1(local.totalMs)} ms, longest event-loop block ${f1(local.longestBlockMs)} ms (monitorEventLoopDelay max ${f1(local.loopDelayMaxMs)} ms)`);
    out.push('');
  }
  out.push(`| ${routesN.toLocaleString('en')}-route apply (${(e2e.bodyBytes / 1e6).toFixed(1)} MB) | value |`);
  out.push('|---|---:|');
  out.push(`| apply time (POST /admin/config) | ${f1(e2e.applyMs)} ms |`);
  out.push(`| proxied before the apply: p50 / p99 / max (${e2e.before.requests} req) | ${f1(e2e.before.p50)} / ${f1(e2e.before.p99)} / ${f1(e2e.before.max)} ms |`);
  out.push(`| proxied during the apply: p50 / p99 / max (${e2e.during.requests} req, ${e2e.during.failed} failed) | ${f1(e2e.during.p50)} / ${f1(e2e.during.p99)} / ${f1(e2e.during.max)} ms |`);
  out.push(`| proxied requests over 50 ms during the apply | ${e2e.during.over50} |`);
  out.push('');
  out.push(`| RSS (MiB) | before | right after the big apply | ${settleS} s after a 2-route apply |`);
  out.push('|---|---:|---:|---:|');
  out.push(`| primary | ${mib(e2e.rss.before.primary)} | ${mib(e2e.rss.afterBigApply.primary)} | ${mib(e2e.rss.settled.primary)} |`);
  for (let i = 0; i < e2e.rss.before.workers.length; i++) {
    out.push(`| worker ${i + 1} | ${mib(e2e.rss.before.workers[i])} | ${mib(e2e.rss.afterBigApply.workers[i])} | ${mib(e2e.rss.settled.workers[i])} |`);
  }
  process.stdout.write(out.join('\n') + '\n');
  console.log(JSON.stringify({ root: ROOT, workers, connections, inProcess: local, endToEnd: e2e }));
  process.exit(0);
}

main().catch((err) => {
  say(err.stack);
  process.exit(1);
});
