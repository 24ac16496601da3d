#!/usr/bin/env node
'use strict';

/**
 * Response-cache memory under churn (issue 10's memory figure): does a cached route hold no
 * more than its budget (`cache.maxBytes`, per worker), and close to it (within 10%), while far
 * more data than the budget streams through it?
 *
 *     npx tsc -b && node tools/bench/cache-memory.js [--seconds 20] [--budget 8388608]
 *                                                    [--object 4096] [--keys 100000] [--workers 1]
 *
 * Starts an in-process node:http upstream that answers every path with OBJECT bytes and
 * `Cache-Control: max-age=3600`, and the built daemon (WORKERS workers, default 1) with one
 * cached route (`cache: { maxBytes: BUDGET }`) to it, an unlimited direct-response `/healthz`
 * for readiness, and its admin API on a free loopback port with a `read` token. wrk then asks for
 * `/obj/N`, N drawn at random from 1..KEYS per request, for SECONDS (KEYS x OBJECT is far more
 * than the budget: nearly every request is a miss that stores a new entry and evicts old ones).
 * Every second it reads `weir_cache_stored_bytes` from the admin `/metrics` (summed over workers,
 * so divided by WORKERS) and the workers' RSS from /proc; it prints the budget, the stored bytes
 * at the end and the most seen, stored / budget, and the workers' RSS before, at the end and at
 * most, as a Markdown table and a JSON line.
 *
 * RSS growth is informational: beside what the cache holds it includes memory the allocator keeps
 * after churn (freed, not returned to the OS) and V8 heap headroom, which the control run shows
 * in part. The cache's own retained memory against its budget is measured by
 * `cache-retained.js` (heap + array buffers, cache full vs purged, same process, after `gc()`).
 */

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { freePorts } = require('./lib/free-ports');
const { startManagedDaemon } = require('./lib/daemon-process');
const { heapSummary, readHeapSamples, SAMPLER_PATH } = require('./lib/worker-heap-sampler');
const { runScript, parseFlags } = require('./lib/script-runner');
const { ensureTool } = require('./lib/system-tools');
const { treeRss } = require('./lib/process-memory');
const { cacheCounters, describeResults } = require('./lib/cache-bench');
const { benchToken } = require('./lib/targets');

const USAGE = `Usage: npx tsc -b && node tools/bench/cache-memory.js [flags]

Response-cache memory under churn: the built daemon with one cached route of maxBytes BUDGET
(per worker) in front of an in-process upstream answering every path with OBJECT bytes and
Cache-Control: max-age=3600; wrk asks for KEYS distinct paths at random for SECONDS; prints the
stored bytes (weir_cache_stored_bytes, per worker) against the budget and the workers' RSS.

Flags:
  --seconds N       load window. Default 20.
  --budget BYTES    the route's cache.maxBytes (per worker). Default 8388608 (8 MiB).
  --object BYTES    body size of every upstream answer. Default 4096.
  --keys N          distinct paths asked for. Default 100000.
  --workers N       daemon worker processes. Default 1 (the gauge is summed over workers).
  --connections N   wrk connections. Default 32.
  --settle N        idle seconds after the load before the last RSS reading. Default 5.
  --skip-control    skip the control run (the same load through the route without a cache,
                    on a fresh daemon, for the RSS growth that proxying alone causes).
  --keep-logs       keep the temp dir with the config, daemon log and wrk output.
  --heap            preload lib/worker-heap-sampler.js into the daemon: each worker logs
                    process.memoryUsage() once a second, and a line per run gives the V8 heap
                    (committed and used) and the external memory before and after the load.
  -h, --help        this text.

Goal (issue 10): stored bytes within 10% of the budget, and never above it. RSS growth also
counts garbage V8 has not collected yet (--heap shows it), not only cache memory; the cache's
retained memory is measured by cache-retained.js.
Exit status: 0 when measured; 1 when the daemon or wrk could not run; 2 on bad flags.`;

const MIB = 1024 * 1024;
const fmtBytes = (n) => `${n.toLocaleString('en-US')} (${(n / MIB).toFixed(2)} MiB)`;
const fmtKiB = (kiB) => `${(kiB / 1024).toFixed(1)} MiB`;

/**
 * The upstream: every path answers 200 with `size` bytes, `Cache-Control: max-age=3600`. Runs
 * in this process, on a loopback port.
 * @returns {Promise<{ port: number, served: () => number, close: () => void }>}
 */
async function startUpstream(size) {
  const body = Buffer.alloc(size, 'c');
  let served = 0;
  const server = http.createServer((req, res) => {
    served++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'cache-control': 'max-age=3600' });
    res.end(body);
  });
  server.keepAliveTimeout = 75_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    served: () => served,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The wrk script: a random `/obj/N` (1..keys) per request, a different seed per thread. */
function luaScript(keys) {
  return `-- Generated by tools/bench/cache-memory.js.
local threadCount = 0
setup = function(thread)
  threadCount = threadCount + 1
  thread:set("seed", threadCount)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
end
request = function()
  return wrk.format("GET", "/obj/" .. math.random(${keys}))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('CACHE_MEMORY_RESULT {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
end
`;
}

/** The workers' RSS in KiB (the daemon's descendants, not the primary), or null without /proc. */
function workersRss(pid) {
  const rss = treeRss(pid);
  if (rss === null) return null;
  const workers = rss.perProcess.filter((p) => p.pid !== pid);
  return { totalKiB: workers.reduce((n, p) => n + p.kiB, 0), perWorker: workers.map((p) => p.kiB), primaryKiB: rss.perProcess[0]?.kiB ?? 0 };
}

/**
 * One daemon, one load. `cached` false: the control, the same route and load without `cache`,
 * so the RSS growth the proxying alone causes shows beside the cached route's.
 */
async function measure(registry, dir, o, say, cached) {
  const wrk = ensureTool('wrk', 'wrk', true, say);
  if ('skip' in wrk) throw new Error(`no wrk: ${wrk.skip}`);
  const upstream = await startUpstream(o.object);
  try {
    const [port, adminPort] = await freePorts(2);
    const token = benchToken(['read']);
    const config = {
      workers: o.workers,
      logging: { level: 'warn', accessLog: { enabled: false } },
      admin: { listen: { address: '127.0.0.1', port: adminPort }, tokens: [token.entry] },
      listeners: [{ name: 'main', address: '127.0.0.1', port }],
      routes: [
        { name: 'healthz', match: { path: { exact: '/healthz' } }, directResponse: { status: 200, body: 'ok\n' } },
        // maxObjectBytes: the default (1 MiB), or the budget when smaller (it may not exceed it).
        {
          name: 'cached', match: { path: { prefix: '/' } }, upstream: 'u',
          ...(cached ? { cache: { maxBytes: o.budget, maxObjectBytes: Math.min(MIB, o.budget) } } : {}),
        },
      ],
      upstreams: [{ name: 'u', endpoints: [{ address: `127.0.0.1:${upstream.port}` }] }],
    };
    const name = cached ? 'weir-cache-memory' : 'weir-no-cache';
    const proc = await startManagedDaemon(registry, {
      name, dir, config, port, readyPath: '/healthz', adminListen: `127.0.0.1:${adminPort}`,
      nodeArgs: o.heap ? ['-r', SAMPLER_PATH] : [],
    });
    say(`${cached ? 'cached route' : 'control (no cache)'}: daemon ready on 127.0.0.1:${port} (${o.workers} worker(s)), admin on ${adminPort}; upstream on ${upstream.port}`);
    const read = () => cacheCounters(adminPort, token.token, 'cached');
    // The admin listener may open a little after the data plane answers: poll it, bounded.
    const adminDeadline = Date.now() + 10_000;
    let before = null;
    while (before === null) {
      try {
        before = await read();
      } catch (err) {
        if (Date.now() > adminDeadline || !proc.alive) throw new Error(`admin API on 127.0.0.1:${adminPort} not answering: ${/** @type {Error} */ (err).message}\n${proc.tail()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const rssBefore = workersRss(proc.pid);

    const script = path.join(dir, 'cache-memory.lua');
    fs.writeFileSync(script, luaScript(o.keys));
    const logPath = path.join(dir, `wrk-${cached ? 'cached' : 'control'}.log`);
    const threads = Math.min(2, o.connections);
    const loadStart = Date.now();
    const w = registry.spawn('wrk', wrk.path, ['-t', String(threads), '-c', String(o.connections), '-d', `${o.seconds}s`, '--timeout', '5s',
      '-s', script, `http://127.0.0.1:${port}/`], { logPath, group: false });
    const watchdog = setTimeout(() => w.killSync(), (o.seconds + 30) * 1000);
    // Every second, while wrk runs: stored bytes and the workers' RSS (bounded by wrk's exit and
    // its watchdog).
    const samples = [];
    let running = true;
    const exited = w.exited.then(() => (running = false));
    const t0 = Date.now();
    while (running) {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (!running || !proc.alive) break;
      try {
        const c = await read();
        const rss = workersRss(proc.pid);
        samples.push({ t: (Date.now() - t0) / 1000, storedBytes: c.storedBytes, workersRssKiB: rss === null ? null : rss.totalKiB });
      } catch (err) {
        samples.push({ t: (Date.now() - t0) / 1000, error: /** @type {Error} */ (err).message });
      }
    }
    await exited;
    const loadEnd = Date.now();
    clearTimeout(watchdog);
    if (!proc.alive) throw new Error(`the daemon ${proc.describeExit()} during the load\n${proc.tail()}`);
    const out = fs.readFileSync(logPath, 'utf8');
    const line = out.split('\n').find((l) => l.startsWith('CACHE_MEMORY_RESULT '));
    if (w.exit?.code !== 0 || line === undefined) throw new Error(`wrk ${w.describeExit()}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
    const load = JSON.parse(line.slice('CACHE_MEMORY_RESULT '.length));
    const after = await read();
    const rssAfter = workersRss(proc.pid);
    // Idle for --settle seconds: what RSS the worker gives back once the load's garbage can go.
    await new Promise((resolve) => setTimeout(resolve, o.settle * 1000));
    const rssSettled = proc.alive ? workersRss(proc.pid) : null;
    const settled = proc.alive ? await read() : null;
    await proc.stop(5000);
    const heap = o.heap ? heapSummary(readHeapSamples(fs.readFileSync(path.join(dir, `${name}.log`), 'utf8')), loadStart, loadEnd) : null;
    return { before, after, settled, rssBefore, rssAfter, rssSettled, samples, load, upstreamServed: upstream.served(), heap };
  } finally {
    upstream.close();
  }
}

/** One `--heap` line. */
function heapLine(label, h) {
  if (h === null) return `${label}: no heap samples in the daemon log.`;
  const m = (b) => (b / MIB).toFixed(1);
  return `${label}, V8 heap of the workers (--heap): committed ${m(h.before.heapTotal)} -> ${m(h.end.heapTotal)} MiB (most during the load ${m(h.peakHeapTotal)}), ` +
    `used ${m(h.before.heapUsed)} -> ${m(h.end.heapUsed)} MiB, external ${m(h.before.external)} -> ${m(h.end.external)} MiB.`;
}

function render(o, r, control) {
  const perWorker = (bytes) => bytes / o.workers;
  const stored = perWorker(r.after.storedBytes);
  const seen = r.samples.filter((s) => typeof s.storedBytes === 'number').map((s) => perWorker(/** @type {number} */ (s.storedBytes)));
  const maxSeen = Math.max(stored, ...seen);
  const rssSeen = r.samples.filter((s) => typeof s.workersRssKiB === 'number').map((s) => /** @type {number} */ (s.workersRssKiB));
  const errors = r.load.connect + r.load.read + r.load.write + r.load.status + r.load.timeout;
  const rps = r.load.durationUs > 0 ? r.load.requests / (r.load.durationUs / 1e6) : 0;
  const growth = r.rssBefore !== null && r.rssAfter !== null ? r.rssAfter.totalKiB - r.rssBefore.totalKiB : null;
  const peakGrowth = r.rssBefore !== null && rssSeen.length > 0 ? Math.max(...rssSeen, r.rssAfter?.totalKiB ?? 0) - r.rssBefore.totalKiB : null;
  const churn = r.upstreamServed * o.object;
  const settledGrowth = r.rssBefore !== null && r.rssSettled !== null ? r.rssSettled.totalKiB - r.rssBefore.totalKiB : null;
  const within = stored >= 0.9 * o.budget && maxSeen <= o.budget;
  const lines = [
    `### Response-cache memory under churn (${o.workers} worker(s), ${o.keys.toLocaleString('en-US')} keys of ${o.object.toLocaleString('en-US')} bytes at random, ${o.seconds} s, ${o.connections} connections)`,
    '',
    `| route (budget per worker) | stored bytes per worker (end) | stored / budget | most stored seen / budget | requests (req/s) | upstream answers (bytes through) | worker RSS before | worker RSS after | RSS growth (after − before) | peak RSS growth | RSS growth / budget | RSS growth after ${o.settle} s idle |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| cache, maxBytes ${fmtBytes(o.budget)} | ${fmtBytes(Math.round(stored))} | ${(stored / o.budget).toFixed(3)} | ${(maxSeen / o.budget).toFixed(3)} | ` +
      `${r.load.requests.toLocaleString('en-US')} (${Math.round(rps).toLocaleString('en-US')}) | ${r.upstreamServed.toLocaleString('en-US')} (${(churn / MIB).toFixed(0)} MiB) | ` +
      `${r.rssBefore === null ? 'n/a' : fmtKiB(r.rssBefore.totalKiB)} | ${r.rssAfter === null ? 'n/a' : fmtKiB(r.rssAfter.totalKiB)} | ` +
      `${growth === null ? 'n/a' : fmtKiB(growth)} | ${peakGrowth === null ? 'n/a' : fmtKiB(peakGrowth)} | ${growth === null ? 'n/a' : (growth * 1024 / (o.budget * o.workers)).toFixed(2)} | ` +
      `${settledGrowth === null ? 'n/a' : fmtKiB(settledGrowth)} |`,
    ...(control === null ? [] : [controlRow(o, control)]),
    '',
    `Goal (issue 10): stored within 10% of the budget and never above it: ${within ? 'PASS' : 'FAIL'} ` +
      `(end ${(stored / o.budget * 100).toFixed(1)}% of the budget, most seen ${(maxSeen / o.budget * 100).toFixed(1)}% over ${seen.length} one-second samples).`,
    `weir_cache_requests_total{route="cached"} over the load: ${describeResults(diff(r.after.results, r.before.results))}.`,
    `Per second (s: stored per worker / workers' RSS): ${r.samples.filter((x) => !('error' in x)).map((x) => `${Math.round(x.t)}: ${(perWorker(x.storedBytes) / MIB).toFixed(2)} / ${x.workersRssKiB === null ? 'n/a' : fmtKiB(x.workersRssKiB)}`).join(', ')}.`,
  ];
  if (o.heap) {
    lines.push(heapLine('Cache', r.heap));
    if (control !== null) lines.push(heapLine('Control', control.heap));
  }
  if (errors > 0) lines.push(`⚠ wrk errors: ${JSON.stringify({ connect: r.load.connect, read: r.load.read, write: r.load.write, status: r.load.status, timeout: r.load.timeout })}`);
  const failed = r.samples.filter((s) => 'error' in s);
  if (failed.length > 0) lines.push(`⚠ ${failed.length} /metrics samples failed: ${failed[0].error}`);
  if (maxSeen > o.budget) lines.push('⚠ the stored bytes exceeded the budget.');
  return { text: lines.join('\n'), stored, maxSeen, growth, peakGrowth, settledGrowth, rps, errors, within };
}

/** The control's row: the same load through the route without a cache. */
function controlRow(o, c) {
  const rps = c.load.durationUs > 0 ? c.load.requests / (c.load.durationUs / 1e6) : 0;
  const growth = c.rssBefore !== null && c.rssAfter !== null ? c.rssAfter.totalKiB - c.rssBefore.totalKiB : null;
  const rssSeen = c.samples.filter((s) => typeof s.workersRssKiB === 'number').map((s) => s.workersRssKiB);
  const peak = c.rssBefore !== null && rssSeen.length > 0 ? Math.max(...rssSeen, c.rssAfter?.totalKiB ?? 0) - c.rssBefore.totalKiB : null;
  const settled = c.rssBefore !== null && c.rssSettled !== null ? c.rssSettled.totalKiB - c.rssBefore.totalKiB : null;
  return `| control: same route, no cache | - | - | - | ${c.load.requests.toLocaleString('en-US')} (${Math.round(rps).toLocaleString('en-US')}) | ` +
    `${c.upstreamServed.toLocaleString('en-US')} (${(c.upstreamServed * o.object / MIB).toFixed(0)} MiB) | ` +
    `${c.rssBefore === null ? 'n/a' : fmtKiB(c.rssBefore.totalKiB)} | ${c.rssAfter === null ? 'n/a' : fmtKiB(c.rssAfter.totalKiB)} | ` +
    `${growth === null ? 'n/a' : fmtKiB(growth)} | ${peak === null ? 'n/a' : fmtKiB(peak)} | - | ${settled === null ? 'n/a' : fmtKiB(settled)} |`;
}

function diff(after, before) {
  const out = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}

function start() {
  let o;
  try {
    o = parseFlags(process.argv.slice(2), { seconds: 20, budget: 8388608, object: 4096, keys: 100000, workers: 1, connections: 32, settle: 5, 'keep-logs': false, 'skip-control': false, heap: false }, USAGE);
    if (o.budget < 1024) throw new Error('--budget must be at least 1024 (cache.maxBytes minimum)');
    if (o.object > Math.min(MIB, o.budget)) throw new Error('--object must be at most min(1 MiB, --budget): larger bodies are not stored');
  } catch (err) {
    process.stderr.write(`cache-memory: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  runScript('cache-memory', { keepLogs: o['keep-logs'] }, async (registry, dir, say) => {
    const r = await measure(registry, dir, o, say, true);
    const control = o['skip-control'] ? null : await measure(registry, dir, o, say, false);
    const rep = render(o, r, control);
    process.stdout.write(`${rep.text}\n`);
    process.stdout.write(`${JSON.stringify({
      bench: 'cache-memory', options: o, storedPerWorker: rep.stored, maxStoredSeenPerWorker: rep.maxSeen, budget: o.budget,
      workersRssBeforeKiB: r.rssBefore?.totalKiB ?? null, workersRssAfterKiB: r.rssAfter?.totalKiB ?? null, rssGrowthKiB: rep.growth, peakRssGrowthKiB: rep.peakGrowth, settledRssGrowthKiB: rep.settledGrowth,
      storedPerWorkerSettled: r.settled === null ? null : r.settled.storedBytes / o.workers,
      requests: r.load.requests, rps: rep.rps, errors: rep.errors, upstreamServed: r.upstreamServed, results: diff(r.after.results, r.before.results),
      samples: r.samples, node: process.version,
      control: control === null ? null : {
        requests: control.load.requests, workersRssBeforeKiB: control.rssBefore?.totalKiB ?? null, workersRssAfterKiB: control.rssAfter?.totalKiB ?? null,
        workersRssSettledKiB: control.rssSettled?.totalKiB ?? null, samples: control.samples,
      },
    })}\n`);
    return 0;
  });
}

start();
