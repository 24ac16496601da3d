#!/usr/bin/env node
'use strict';

/**
 * Memory the response cache itself retains under churn (issue 10: "memory used against the
 * configured budget under churn, goal within 10%"), measured in one process with `gc()`:
 *
 *     npx tsc -b && node tools/bench/cache-retained.js [--budgets 8,32,64] [--factor 12]
 *                                                      [--min 200] [--max 65536] [--undici]
 *
 * For each budget (MiB, `cache.maxBytes`) it builds a real `RouteCache` from the built
 * `packages/cache/dist` and streams distinct keys through the same calls the data plane makes
 * (`admit`, `BodyRecorder.write` per chunk, `finish`), until FACTOR x budget bytes of bodies went
 * through it. Body sizes are log-uniform in MIN..MAX (default 200 B..64 KiB), so there are many
 * small entries (per-entry overhead) and some large ones (body bytes).
 *
 * Body chunks come, as from undici, as views into larger socket reads:
 * - default ("synthetic"): every 64 KiB "read" is a fresh ArrayBuffer that the next chunks are cut
 *   from (`subarray`), and the header values are fresh strings decoded from a Buffer, as undici's
 *   parser makes them;
 * - `--undici`: the bodies really come over loopback from an in-process node:http upstream through
 *   an undici `Client` (`dispatch` with the same handler shape as the data plane's
 *   `CacheRefresh`), so the chunks are undici's own.
 *
 * Then, with the cache full: `gc()` (twice), read `process.memoryUsage()` `heapUsed +
 * arrayBuffers`; purge every entry (`purgePrefix('')`), `gc()` again and read it again. Retained =
 * full - purged: what the cache's entries keep alive (bodies, the ArrayBuffers behind them, entry
 * objects, header arrays and strings, keys, Map and LRU structure), whatever the accounting says.
 * It is reported beside the budget and the store's accounted bytes (`weir_cache_stored_bytes`).
 *
 * Not counted by `heapUsed + arrayBuffers`: malloc bookkeeping of each ArrayBuffer's backing store
 * (V8's `BackingStore` object and allocator headers, a few tens of bytes per body), and memory the
 * allocator keeps after churn (RSS that is not returned to the OS). The RSS growth of a real
 * daemon, which includes both, is what `cache-memory.js` reports.
 *
 * `--dist DIR` loads `@weir/cache` from another build (e.g. a copy of `packages/cache/dist` taken
 * before a change), for before/after tables from the same machine. The script re-executes itself
 * with `--expose-gc` when `gc` is not available.
 */

const http = require('node:http');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseFlags } = require('./lib/script-runner');

const USAGE = `Usage: npx tsc -b && node tools/bench/cache-retained.js [flags]

Retained memory of the response cache under churn, per budget: heapUsed + arrayBuffers with the
cache full minus the same after purging it (same process, after gc()), against the budget and the
store's accounted bytes.

Flags:
  --budgets MIB,...  cache.maxBytes values, MiB. Default 8,32,64.
  --factor N         bodies streamed through each cache, as a multiple of its budget. Default 12.
  --min BYTES        smallest body. Default 200.
  --max BYTES        largest body (log-uniform between). Default 65536.
  --seed N           PRNG seed. Default 1.
  --undici           bodies over loopback through undici (real socket chunks) instead of views cut
                     from synthetic 64 KiB reads.
  --dist DIR         load @weir/cache from DIR instead of packages/cache/dist.
  -h, --help         this text.

Goal (issue 10): retained within 10% of the budget (retained / budget <= 1.10).`;

const MIB = 1024 * 1024;
/** Size of a synthetic socket read: undici reads up to 64 KiB at a time off a socket. */
const READ_BYTES = 64 * 1024;

function mem() {
  for (let i = 0; i < 3; i++) global.gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, total: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

function settingsFor(budget) {
  return {
    maxBytes: budget,
    maxObjectBytes: Math.min(MIB, budget),
    keyHeaders: [],
    storeSetCookie: false,
    heuristicPercent: 10,
    maxHeuristicSeconds: 86400,
    collapseTimeoutMs: 10000,
  };
}

/** A Park-Miller PRNG: the same sizes for the same seed, before and after a change. */
function prng(seed) {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function sizer(o, rand) {
  const lo = Math.log(o.min);
  const hi = Math.log(o.max);
  return () => Math.round(Math.exp(lo + (hi - lo) * rand()));
}

/** A fresh string with the content of `s` (undici decodes header values out of its read buffer). */
const fresh = (s) => Buffer.from(s, 'latin1').toString('latin1');

/** The response headers an origin sends, as undici's header record (fresh strings). */
function responseHeaders(size, n, now) {
  return {
    'content-type': fresh('application/octet-stream'),
    'content-length': fresh(String(size)),
    'cache-control': fresh('max-age=3600'),
    date: fresh(new Date(now).toUTCString()),
    etag: fresh(`"obj-${n}-${size}"`),
    connection: fresh('keep-alive'),
    'keep-alive': fresh('timeout=75'),
  };
}

/** The request view the data plane builds (a fresh target string per request, as node:http's). */
function view(n) {
  return { method: 'GET', scheme: 'http', host: fresh('127.0.0.1:8080'), target: fresh(`/obj/${n}`), headers: [fresh('host'), fresh('127.0.0.1:8080'), fresh('user-agent'), fresh('wrk')] };
}

/** Synthetic churn: chunks cut from fresh 64 KiB reads. */
function churnSynthetic(cache, o, budget, rand) {
  const size = sizer(o, rand);
  let read = Buffer.allocUnsafeSlow(READ_BYTES);
  let readOffset = 0;
  let through = 0;
  let n = 0;
  while (through < o.factor * budget) {
    n++;
    const len = size();
    const now = Date.now();
    const rec = cache.admit(view(n), 200, responseHeaders(len, n, now), now, now);
    if (rec === null) throw new Error('the synthetic response was not storable');
    let left = len;
    while (left > 0) {
      if (readOffset === READ_BYTES) {
        read = Buffer.allocUnsafeSlow(READ_BYTES);
        readOffset = 0;
      }
      const take = Math.min(left, READ_BYTES - readOffset, 16 * 1024);
      rec.write(read.subarray(readOffset, readOffset + take));
      readOffset += take;
      left -= take;
    }
    rec.finish();
    through += len;
  }
  read = null;
  return { responses: n, through };
}

/** The in-process upstream for `--undici`: `/obj/N?s=SIZE` answers SIZE bytes. */
async function startUpstream(maxSize) {
  const body = Buffer.alloc(maxSize, 'c');
  const server = http.createServer((req, res) => {
    const size = Number(req.url.slice(req.url.indexOf('?s=') + 3));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'cache-control': 'max-age=3600', etag: `"${req.url}"` });
    res.end(body.subarray(0, size));
  });
  server.keepAliveTimeout = 75_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One exchange through undici, fed to the cache the way the data plane does. */
function exchange(client, cache, n, len) {
  return new Promise((resolve, reject) => {
    const v = view(n);
    const target = `/obj/${n}?s=${len}`;
    let recorder = null;
    const requestTime = Date.now();
    client.dispatch({ method: 'GET', path: target, headers: ['user-agent', 'weir-bench'] }, {
      onRequestStart() {},
      onResponseStart(_c, status, headers) {
        recorder = cache.admit(v, status, headers, requestTime, Date.now());
      },
      onResponseData(_c, chunk) {
        if (recorder !== null && !recorder.write(chunk)) recorder = null;
      },
      onResponseEnd() {
        if (recorder !== null) recorder.finish();
        resolve(undefined);
      },
      onResponseError(_c, err) {
        if (recorder !== null) recorder.abort();
        reject(err);
      },
    });
  });
}

async function churnUndici(cache, o, budget, rand, client) {
  const size = sizer(o, rand);
  let through = 0;
  let n = 0;
  const inflight = 16;
  while (through < o.factor * budget) {
    const batch = [];
    for (let i = 0; i < inflight; i++) {
      n++;
      const len = size();
      through += len;
      batch.push(exchange(client, cache, n, len));
    }
    await Promise.all(batch);
  }
  return { responses: n, through };
}

async function measure(RouteCache, o, budgetMiB, client) {
  const budget = budgetMiB * MIB;
  const rand = prng(o.seed);
  let cache = new RouteCache(settingsFor(budget));
  const empty = mem();
  const load = client === null ? churnSynthetic(cache, o, budget, rand) : await churnUndici(cache, o, budget, rand, client);
  const full = mem();
  const accounted = cache.storedBytes;
  const entries = cache.store.count;
  let bodyBytes = 0;
  // Walk the LRU for the body bytes and how many bodies are views of a larger ArrayBuffer.
  let views = 0;
  let backing = 0;
  const seen = new Set();
  for (let p = cache.store.head; p !== null; p = p.next) {
    bodyBytes += p.body.length;
    if (p.body.buffer.byteLength !== p.body.length) views++;
    if (!seen.has(p.body.buffer)) {
      seen.add(p.body.buffer);
      backing += p.body.buffer.byteLength;
    }
  }
  seen.clear();
  const removed = cache.purgePrefix('');
  const purged = mem();
  cache = null;
  const retained = full.total - purged.total;
  return {
    budget, accounted, entries, removed, bodyBytes, views, backing, load, empty, full, purged, retained,
    retainedHeap: full.heapUsed - purged.heapUsed, retainedArrayBuffers: full.arrayBuffers - purged.arrayBuffers,
  };
}

const fmt = (n) => n.toLocaleString('en-US');
const fmtMiB = (n) => `${(n / MIB).toFixed(2)} MiB`;

function render(o, rows, dist) {
  const lines = [
    `### Response-cache retained memory under churn (${o.undici ? 'undici over loopback' : 'synthetic 64 KiB reads'}; bodies ${fmt(o.min)}..${fmt(o.max)} B log-uniform, ${o.factor}x the budget through; node ${process.version}; @weir/cache from ${dist})`,
    '',
    '| budget | entries | accounted stored bytes | accounted / budget | body bytes | bodies that are views | retained (full − purged): heap + arrayBuffers | of which heap | of which arrayBuffers | retained / budget | retained / accounted |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${fmtMiB(r.budget)} | ${fmt(r.entries)} | ${fmt(r.accounted)} | ${(r.accounted / r.budget).toFixed(3)} | ${fmt(r.bodyBytes)} | ${fmt(r.views)} (backing ${fmtMiB(r.backing)}) | ` +
      `${fmt(r.retained)} (${fmtMiB(r.retained)}) | ${fmtMiB(r.retainedHeap)} | ${fmtMiB(r.retainedArrayBuffers)} | **${(r.retained / r.budget).toFixed(3)}** | ${(r.retained / r.accounted).toFixed(3)} |`);
  }
  const worst = Math.max(...rows.map((r) => r.retained / r.budget));
  lines.push('', `Goal (issue 10): retained within 10% of the budget (<= 1.10x): ${worst <= 1.1 ? 'PASS' : 'FAIL'} (worst ${worst.toFixed(3)}x).`);
  return lines.join('\n');
}

async function main(o, dist) {
  const { RouteCache } = require(dist);
  let server = null;
  let client = null;
  if (o.undici) {
    const { Client } = require('undici');
    server = await startUpstream(o.max);
    client = new Client(`http://127.0.0.1:${server.address().port}`, { pipelining: 1, connections: 16 });
    // Warm the connections, the parser and the server so their memory is in both readings.
    await churnUndici(new RouteCache(settingsFor(MIB)), { ...o, factor: 1 }, MIB, prng(o.seed + 1), client);
  }
  const rows = [];
  for (const b of o.budgets) rows.push(await measure(RouteCache, o, b, client));
  if (client !== null) await client.close();
  if (server !== null) server.close();
  process.stdout.write(`${render(o, rows, path.relative(process.cwd(), dist) || dist)}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'cache-retained', options: o, dist, node: process.version, rows })}\n`);
}

function start() {
  const argv = process.argv.slice(2);
  let dist = path.join(__dirname, '..', '..', 'packages', 'cache', 'dist');
  const at = argv.indexOf('--dist');
  if (at !== -1) {
    if (argv[at + 1] === undefined) {
      process.stderr.write(`cache-retained: --dist needs a directory\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    dist = path.resolve(argv[at + 1]);
    argv.splice(at, 2);
  }
  let o;
  try {
    o = parseFlags(argv, { budgets: [8, 32, 64], factor: 12, min: 200, max: 65536, seed: 1, undici: false }, USAGE);
    if (o.min > o.max) throw new Error('--min must not exceed --max');
  } catch (err) {
    process.stderr.write(`cache-retained: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (typeof global.gc !== 'function') {
    const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
    return;
  }
  main(o, dist).catch((err) => {
    process.stderr.write(`cache-retained: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}

start();
