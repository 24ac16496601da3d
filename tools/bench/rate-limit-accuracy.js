#!/usr/bin/env node
'use strict';

/**
 * Host rate-limit accuracy (issue 9's closing figure): does a route limit of R req/s admit R
 * req/s on the host, although two workers serve it?
 *
 *     npx tsc -b && node tools/bench/rate-limit-accuracy.js [--seconds 30] [--rates 10,100,1000]
 *                                                          [--workers 2] [--connections 16]
 *
 * For each rate, a fresh daemon (so every bucket starts full) with two direct-response routes:
 * `/limited`, limited to `rate` per second with a burst of rate/10 (at least 1) keyed by
 * `route` (one bucket for the whole route, host scope: the primary leases tokens to the
 * workers), and `/healthz`, unlimited, for readiness and for opening the client sockets. A
 * direct-response route needs no upstream: limits apply to it as to a forwarding route
 * (apps/weir/docs/config.md, "Route limits").
 *
 * The load is open-loop at 3x the rate (at least 30 req/s) for `seconds`, over `connections`
 * keep-alive sockets opened before the window and reused in turn (lib/paced-load.js). Admitted
 * = 200 answers; expected = burst + rate x seconds, what one token bucket admits over the
 * window (docs/rate-limits.md, "Accuracy"); ideal = what one exact token bucket admits for the
 * actual send times (lib/token-bucket-model.js: with burst 1 the closed form is out of reach
 * of any bucket fed discrete arrivals). Which worker held each client socket is read from
 * /proc (lib/socket-owners.js), so the table also shows that both workers served.
 */

const { freePorts } = require('./lib/free-ports');
const { startManagedDaemon } = require('./lib/daemon-process');
const { pacedLoad } = require('./lib/paced-load');
const { socketOwners, perWorker } = require('./lib/socket-owners');
const { runScript, parseFlags } = require('./lib/script-runner');
const { idealAdmitted } = require('./lib/token-bucket-model');

const USAGE = `Usage: npx tsc -b && node tools/bench/rate-limit-accuracy.js [flags]

Host rate-limit accuracy: for each rate, the built daemon with one direct-response route limited
to RATE req/s (burst RATE/10, at least 1; key "route"), offered about 3x RATE (at least 30 req/s)
for SECONDS over keep-alive connections; prints admitted vs burst + rate x seconds.

Flags:
  --seconds N       load window per rate. Default 30.
  --rates LIST      configured rates in req/s, comma-separated. Default 10,100,1000.
  --workers N       daemon worker processes. Default 2.
  --connections N   client keep-alive connections. Default 16.
  --keep-logs       keep the temp dir with the configs and daemon logs.
  -h, --help        this text.

Exit status: 0 when every rate was measured; 1 when a daemon could not start (or the load
failed); 2 on bad flags.`;

/** Offered load: this multiple of the rate, and at least MIN_OFFERED req/s. */
const OVERLOAD = 3;
const MIN_OFFERED = 30;

/** Burst of a rate: a tenth of it, at least 1 (an integer, as the config requires). */
const burstOf = (rate) => Math.max(1, Math.ceil(rate / 10));

/**
 * The daemon's config: the limited route and an unlimited one for readiness and warm-up.
 * @param {number} port
 * @param {number} workers
 * @param {number} rate
 */
function configFor(port, workers, rate) {
  return {
    workers,
    logging: { level: 'warn', accessLog: { enabled: false } },
    admin: { enabled: false },
    listeners: [{ name: 'main', address: '127.0.0.1', port }],
    routes: [
      { name: 'healthz', match: { path: { exact: '/healthz' } }, directResponse: { status: 200, body: 'ok\n' } },
      {
        name: 'limited',
        match: { path: { exact: '/limited' } },
        directResponse: { status: 200, body: 'ok\n' },
        limits: { rate: [{ name: 'accuracy', rate, per: 'second', burst: burstOf(rate), key: { kind: 'route' } }] },
      },
    ],
  };
}

/** One rate: fresh daemon, load, per-worker split, stop. */
async function measure(registry, dir, options, rate, say) {
  const [port] = await freePorts(1);
  const name = `weir-rate-${rate}`;
  const proc = await startManagedDaemon(registry, { name, dir, config: configFor(port, options.workers, rate), port, readyPath: '/healthz' });
  const offered = Math.max(MIN_OFFERED, OVERLOAD * rate);
  say(`rate ${rate}/s: daemon ready on 127.0.0.1:${port} (${options.workers} workers); offering ${offered} req/s for ${options.seconds} s`);
  let owners = null;
  const load = await pacedLoad({
    port, path: '/limited', warmPath: '/healthz', rate: offered, seconds: options.seconds, connections: options.connections,
    beforeEnd: () => (owners = socketOwners(port, proc.pid)),
  });
  const alive = proc.alive;
  await proc.stop(5000);
  if (!alive) throw new Error(`${name} ${proc.describeExit()} during the load\n${proc.tail()}`);
  const burst = burstOf(rate);
  const expected = burst + rate * options.seconds;
  return { rate, burst, expected, ideal: idealAdmitted(load.sendTimes, rate, burst), load, workers: perWorker(load.byLocalPort, owners) };
}

/** The load's non-zero anomalies as one phrase, or null. */
function oddities(l) {
  const parts = [];
  if (l.other > 0) parts.push(`${l.other} answers other than 200/429`);
  if (l.errors > 0) parts.push(`${l.errors} socket errors or timeouts`);
  if (l.unanswered > 0) parts.push(`${l.unanswered} unanswered`);
  if (l.skipped > 0) parts.push(`${l.skipped} sends skipped at the in-flight cap (the offered column counts what was sent)`);
  return parts.length === 0 ? null : parts.join(', ');
}

function render(options, rows) {
  const out = [
    `### Host rate-limit accuracy (${options.workers} workers, key "route", burst = rate/10, ${options.connections} keep-alive connections, open-loop load at ${OVERLOAD}x the rate)`,
    '',
    '| rate (req/s) | burst | seconds | offered req/s | admitted (200) | 429 | expected (burst + rate × s) | admitted / expected | ideal bucket, same arrivals | admitted / ideal | admitted per worker |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const problems = [];
  for (const r of rows) {
    const l = r.load;
    let split = 'n/a (no /proc)';
    if (r.workers !== null) {
      const parts = [...r.workers.perWorker.values()].map((w) => `${w.ok} (${w.sockets} conn)`);
      split = `${parts.join(' / ')}${r.workers.unmapped > 0 ? `, ${r.workers.unmapped} answers unmapped` : ''}`;
      if (r.workers.perWorker.size < options.workers) problems.push(`rate ${r.rate}: only ${r.workers.perWorker.size} of ${options.workers} workers held client connections`);
    }
    out.push(`| ${r.rate} | ${r.burst} | ${l.seconds} | ${l.offered.toFixed(1)} | ${l.ok} | ${l.limited} | ${r.expected} | ${(l.ok / r.expected).toFixed(3)} | ${r.ideal} | ${(l.ok / r.ideal).toFixed(3)} | ${split} |`);
    const odd = oddities(l);
    if (odd !== null) problems.push(`rate ${r.rate}: ${odd}`);
  }
  out.push('');
  for (const p of problems) out.push(`⚠ ${p}`);
  return out.join('\n');
}

function start() {
  let options;
  try {
    options = parseFlags(process.argv.slice(2), { seconds: 30, rates: [10, 100, 1000], workers: 2, connections: 16, 'keep-logs': false }, USAGE);
  } catch (err) {
    process.stderr.write(`rate-limit-accuracy: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  runScript('rate-limit-accuracy', { keepLogs: options['keep-logs'] }, async (registry, dir, say) => {
    const rows = [];
    for (const rate of options.rates) rows.push(await measure(registry, dir, options, rate, say));
    process.stdout.write(`${render(options, rows)}\n`);
    const json = rows.map((r) => ({
      rate: r.rate, burst: r.burst, seconds: r.load.seconds, offered: r.load.offered, sent: r.load.sent, admitted: r.load.ok,
      limited: r.load.limited, other: r.load.other, errors: r.load.errors, skipped: r.load.skipped, expected: r.expected, ratio: r.load.ok / r.expected, ideal: r.ideal,
      perWorker: r.workers === null ? null : Object.fromEntries([...r.workers.perWorker].map(([pid, w]) => [pid, w])),
    }));
    process.stdout.write(`${JSON.stringify({ bench: 'rate-limit-accuracy', options, rows: json, node: process.version })}\n`);
    return 0;
  });
}

start();
