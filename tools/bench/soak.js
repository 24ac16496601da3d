#!/usr/bin/env node
'use strict';

/**
 * Memory over a long load (issue 13: "no growth over a 10-minute soak"). Not a timed test.
 *
 *     npm run build && node tools/bench/soak.js [--minutes 10] [--every 10] [--workers 2]
 *                                               [--connections 50] [--keep-logs]
 *
 * Starts the bench's upstream (nginx, or the node:http fallback) and the built daemon exactly as
 * `run.js` starts its `weir` target (one catch-all route, WORKERS workers, warn-level logs, no
 * access log), then keeps wrk on `GET /small` for MINUTES, closed loop, CONNECTIONS connections,
 * all on loopback. Every EVERY seconds it reads the daemon's process tree from /proc: RSS and
 * PSS of the whole tree, the primary's and each worker's RSS. It prints one row per minute (the
 * largest sample of that minute), the growth from the second minute to the last, wrk's totals,
 * and a JSON line with every sample.
 *
 * The first minute is left out of the growth: the daemon's heaps grow to their working size
 * under load then (V8's young generation alone goes to 2 x 16 MiB per worker), and the
 * primary's build thread exits 30 s after start.
 */

const fs = require('node:fs');
const path = require('node:path');
const { freePorts } = require('./lib/free-ports');
const { runScript, parseFlags } = require('./lib/script-runner');
const { ensureTool } = require('./lib/system-tools');
const { treeRss } = require('./lib/process-memory');
const targets = require('./lib/targets');

const USAGE = `Usage: npm run build && node tools/bench/soak.js [flags]

The built daemon under a steady small-GET load for MINUTES; its process tree's RSS and PSS
sampled every EVERY seconds, one row per minute, and the growth from minute 2 to the end.

Flags:
  --minutes N       load duration. Default 10.
  --every N         seconds between samples. Default 10.
  --workers N       daemon (and upstream) worker processes. Default 2.
  --connections N   wrk connections. Default 50.
  --keep-logs       keep the temp dir with the configs and logs.
  -h, --help        this text.

Exit status: 0 when measured; 1 when the upstream, the daemon or wrk could not run; 2 on bad flags.`;

const mib = (kiB) => (kiB / 1024).toFixed(1);

/** The largest-RSS sample of each whole minute of the load. */
function perMinute(samples, minutes) {
  const rows = [];
  for (let m = 0; m < minutes; m++) {
    const inMinute = samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60);
    if (inMinute.length === 0) continue;
    rows.push({ minute: m + 1, ...inMinute.reduce((a, b) => (b.rssKiB > a.rssKiB ? b : a)) });
  }
  return rows;
}

async function main(registry, dir, say, o) {
  const wrk = ensureTool('wrk', 'wrk', true, say);
  if ('skip' in wrk) throw new Error(`no wrk: ${wrk.skip}`);
  const nginxTool = ensureTool('nginx', 'nginx', true, say);
  const ctx = { registry, dir, workers: o.workers, nginx: 'path' in nginxTool ? nginxTool.path : null, regexRoutes: 0, tls: null };
  const [upPort, sinkPort, port] = await freePorts(3);
  const upstream = await targets.startUpstream(ctx, upPort, sinkPort);
  say(`upstream (${upstream.kind}) on 127.0.0.1:${upPort}`);
  const weir = await targets.startWeir(ctx, port, upPort);
  say(`weir on 127.0.0.1:${port} (${o.workers} workers, pid ${weir.proc.pid})`);
  const idle = treeRss(weir.proc.pid);

  const seconds = o.minutes * 60;
  const logPath = path.join(dir, 'wrk-soak.log');
  const w = registry.spawn('wrk', wrk.path, ['-t', '2', '-c', String(o.connections), '-d', `${seconds}s`, '--timeout', '5s', `http://127.0.0.1:${port}/small`], { logPath, group: false });
  const watchdog = setTimeout(() => w.killSync(), (seconds + 60) * 1000);
  const samples = [];
  let running = true;
  const exited = w.exited.then(() => (running = false));
  const t0 = Date.now();
  while (running) {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, o.every * 1000))]);
    if (!running) break;
    if (!weir.proc.alive) throw new Error(`the daemon ${weir.proc.describeExit()} during the soak\n${weir.proc.tail()}`);
    const rss = treeRss(weir.proc.pid);
    if (rss === null) continue;
    const [primary, ...workers] = rss.perProcess;
    samples.push({ t: (Date.now() - t0) / 1000, rssKiB: rss.totalKiB, pssKiB: rss.pssKiB, primaryKiB: primary.kiB, workersKiB: workers.map((p) => p.kiB) });
    say(`${Math.round(samples[samples.length - 1].t)} s: RSS ${mib(rss.totalKiB)} MiB, PSS ${rss.pssKiB === null ? '-' : mib(rss.pssKiB)} MiB`);
  }
  await exited;
  clearTimeout(watchdog);
  const out = fs.readFileSync(logPath, 'utf8');
  if (w.exit?.code !== 0) throw new Error(`wrk ${w.describeExit()}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socketErrors = /Socket errors: (.*)/.exec(out);

  const rows = perMinute(samples, o.minutes);
  const lines = [
    `### Soak: small GETs for ${o.minutes} min (${o.workers} workers, ${o.connections} connections, upstream ${upstream.kind})`,
    '',
    `Idle before the load: RSS ${idle === null ? '-' : mib(idle.totalKiB)} MiB, PSS ${idle === null || idle.pssKiB === null ? '-' : mib(idle.pssKiB)} MiB.`,
    '',
    '| minute | tree RSS MiB | tree PSS MiB | primary MiB | workers MiB |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.minute} | ${mib(r.rssKiB)} | ${r.pssKiB === null ? '-' : mib(r.pssKiB)} | ${mib(r.primaryKiB)} | ${r.workersKiB.map(mib).join(' / ')} |`),
    '',
  ];
  const second = rows.find((r) => r.minute === 2);
  const last = rows[rows.length - 1];
  if (second !== undefined && last !== undefined && last.minute > 2) {
    const growth = last.rssKiB - second.rssKiB;
    const pssGrowth = last.pssKiB !== null && second.pssKiB !== null ? last.pssKiB - second.pssKiB : null;
    lines.push(`Growth from minute 2 to minute ${last.minute}: RSS ${growth >= 0 ? '+' : ''}${mib(growth)} MiB (${((growth / second.rssKiB) * 100).toFixed(1)}%)` +
      `${pssGrowth === null ? '' : `, PSS ${pssGrowth >= 0 ? '+' : ''}${mib(pssGrowth)} MiB`}.`, '');
  }
  lines.push(`wrk: ${total === null ? '?' : Number(total[1]).toLocaleString('en-US')} requests, ${rps === null ? '?' : Math.round(Number(rps[1])).toLocaleString('en-US')} req/s, ` +
    `non-2xx ${non2xx === null ? 0 : non2xx[1]}, socket errors ${socketErrors === null ? 'none' : socketErrors[1]}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`SOAK_RESULT ${JSON.stringify({ minutes: o.minutes, workers: o.workers, idle, samples })}\n`);
  return 0;
}

const DEFAULTS = { minutes: 10, every: 10, workers: 2, connections: 50, 'keep-logs': false };

let opts;
try {
  opts = parseFlags(process.argv.slice(2), DEFAULTS, USAGE);
} catch (err) {
  process.stderr.write(`${/** @type {Error} */ (err).message}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
runScript('soak', { keepLogs: opts['keep-logs'] }, (registry, dir, say) => main(registry, dir, say, opts));
