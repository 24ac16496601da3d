#!/usr/bin/env node
'use strict';

/**
 * Global rate-limit accuracy (issue 9's closing figure): two Weir daemons sharing one Redis
 * admit the configured rate between them, not twice it.
 *
 *     npx tsc -b && node tools/bench/global-limit-accuracy.js [--seconds 30] [--rate 100]
 *                                                            [--workers 2] [--connections 16]
 *
 * Starts a redis-server on a free loopback port and two daemons (`workers` workers each) with
 * the same routes: `/limited`, a direct-response route with a `scope: "global"` limit of `rate`
 * req/s (burst rate/10, at least 1; key `route`) and `globalLimits: { redis }`, and `/healthz`,
 * unlimited, for readiness and for opening the client sockets. Both daemons are loaded at the
 * same time, open-loop at 1.5x the rate each (lib/paced-load.js), for `seconds`. Admitted = 200
 * answers; expected = burst + rate x seconds, what one token bucket admits over the window
 * (docs/rate-limits.md, "Global limits"), for the pair; ideal = what one exact bucket admits
 * for the pair's actual send times, merged (lib/token-bucket-model.js).
 *
 * Then the same with `scope: "host"` and no Redis: each daemon enforces the rate alone, so the
 * pair admits about twice as much. That second table is the contrast.
 */

const { freePorts } = require('./lib/free-ports');
const { startManagedDaemon } = require('./lib/daemon-process');
const { pacedLoad } = require('./lib/paced-load');
const { startRedisServer, commandCalls } = require('./lib/redis-server');
const { runScript, parseFlags } = require('./lib/script-runner');
const { idealAdmitted, mergeTimes } = require('./lib/token-bucket-model');

const USAGE = `Usage: npx tsc -b && node tools/bench/global-limit-accuracy.js [flags]

Global rate-limit accuracy: a redis-server and two daemons with one direct-response route
limited to RATE req/s with scope "global" (burst RATE/10, at least 1; key "route"), each
offered 1.5x RATE for SECONDS at the same time; prints admitted per daemon and in total vs
burst + rate x seconds. Then the same with scope "host" (no shared Redis) for contrast.

Flags:
  --seconds N       load window of each phase. Default 30.
  --rate N          configured rate in req/s. Default 100.
  --workers N       worker processes per daemon. Default 2.
  --connections N   client keep-alive connections per daemon. Default 16.
  --keep-logs       keep the temp dir with the configs and the daemon and Redis logs.
  -h, --help        this text.

Exit status: 0 when both phases were measured; 1 when Redis or a daemon could not start (or the
load failed); 2 on bad flags.`;

/** Offered load per daemon: this multiple of the (shared) rate. */
const OVERLOAD = 1.5;

const burstOf = (rate) => Math.max(1, Math.ceil(rate / 10));

/**
 * @param {number} port
 * @param {number} workers
 * @param {number} rate
 * @param {number|null} redisPort  null: host scope, no globalLimits
 */
function configFor(port, workers, rate, redisPort) {
  const limit = { name: 'accuracy', rate, per: 'second', burst: burstOf(rate), key: { kind: 'route' }, scope: redisPort === null ? 'host' : 'global' };
  return {
    workers,
    logging: { level: 'warn', accessLog: { enabled: false } },
    admin: { enabled: false },
    listeners: [{ name: 'main', address: '127.0.0.1', port }],
    routes: [
      { name: 'healthz', match: { path: { exact: '/healthz' } }, directResponse: { status: 200, body: 'ok\n' } },
      { name: 'limited', match: { path: { exact: '/limited' } }, directResponse: { status: 200, body: 'ok\n' }, limits: { rate: [limit] } },
    ],
    ...(redisPort === null ? {} : { globalLimits: { redis: `127.0.0.1:${redisPort}` } }),
  };
}

/**
 * One phase: two daemons (global: sharing `redisPort`; host: none), loaded together, stopped.
 * @returns {Promise<{ scope: string, daemons: { name: string, load: import('./lib/paced-load').LoadResult }[], redisCalls: number|null }>}
 */
async function phase(registry, dir, options, redisPort, say) {
  const scope = redisPort === null ? 'host' : 'global';
  const ports = await freePorts(2);
  const names = ['A', 'B'];
  const procs = [];
  for (let i = 0; i < 2; i++) {
    const name = `weir-${scope}-${names[i]}`;
    procs.push(await startManagedDaemon(registry, { name, dir, config: configFor(ports[i], options.workers, options.rate, redisPort), port: ports[i], readyPath: '/healthz' }));
  }
  const offered = OVERLOAD * options.rate;
  say(`${scope}: daemons ready on 127.0.0.1:${ports.join(' and ')} (${options.workers} workers each); offering ${offered} req/s to each for ${options.seconds} s`);
  const before = redisPort === null ? null : await commandCalls(redisPort);
  const loads = await Promise.all(ports.map((port) => pacedLoad({
    port, path: '/limited', warmPath: '/healthz', rate: offered, seconds: options.seconds, connections: options.connections,
  })));
  const after = redisPort === null ? null : await commandCalls(redisPort);
  const died = procs.filter((p) => !p.alive);
  await Promise.all(procs.map((p) => p.stop(5000)));
  if (died.length > 0) throw new Error(`${died.map((p) => `${p.name} ${p.describeExit()}`).join('; ')} during the load\n${died[0].tail()}`);
  const redisCalls = before === null || after === null ? null
    : ['evalsha', 'eval'].reduce((n, c) => n + ((after[c] ?? 0) - (before[c] ?? 0)), 0);
  return { scope, daemons: loads.map((load, i) => ({ name: names[i], load })), redisCalls };
}

function render(options, result) {
  const burst = burstOf(options.rate);
  const expected = burst + options.rate * options.seconds;
  const [a, b] = result.daemons;
  const total = a.load.ok + b.load.ok;
  const ideal = idealAdmitted(mergeTimes([a.load.sendTimes, b.load.sendTimes]), options.rate, burst);
  const title = result.scope === 'global'
    ? `### Global limit, two daemons sharing one Redis (scope "global", ${options.rate} req/s, burst ${burst}, key "route", ${options.workers} workers each)`
    : `### Contrast: the same two daemons with scope "host" (no shared Redis; each enforces ${options.rate} req/s alone)`;
  const out = [
    title,
    '',
    '| seconds | offered req/s (A / B) | admitted A | admitted B | total admitted | 429 (A + B) | expected (burst + rate × s) | total / expected | ideal bucket, same arrivals | total / ideal |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${options.seconds} | ${a.load.offered.toFixed(1)} / ${b.load.offered.toFixed(1)} | ${a.load.ok} | ${b.load.ok} | ${total} | ${a.load.limited + b.load.limited} | ${expected} | ${(total / expected).toFixed(3)} | ${ideal} | ${(total / ideal).toFixed(3)} |`,
    '',
  ];
  if (result.redisCalls !== null) out.push(`Redis script calls (EVALSHA/EVAL) during the load: ${result.redisCalls} (${(result.redisCalls / options.seconds).toFixed(1)} a second for both hosts).`, '');
  for (const d of result.daemons) {
    const l = d.load;
    const parts = [];
    if (l.other > 0) parts.push(`${l.other} answers other than 200/429`);
    if (l.errors > 0) parts.push(`${l.errors} socket errors or timeouts`);
    if (l.unanswered > 0) parts.push(`${l.unanswered} unanswered`);
    if (l.skipped > 0) parts.push(`${l.skipped} sends skipped at the in-flight cap`);
    if (parts.length > 0) out.push(`⚠ daemon ${d.name}: ${parts.join(', ')}`, '');
  }
  return { text: out.join('\n'), json: { scope: result.scope, seconds: options.seconds, rate: options.rate, burst, expected, ideal, total, ratio: total / expected, redisCalls: result.redisCalls,
    daemons: result.daemons.map((d) => ({ name: d.name, offered: d.load.offered, sent: d.load.sent, admitted: d.load.ok, limited: d.load.limited, other: d.load.other, errors: d.load.errors, sockets: d.load.sockets })) } };
}

function start() {
  let options;
  try {
    options = parseFlags(process.argv.slice(2), { seconds: 30, rate: 100, workers: 2, connections: 16, 'keep-logs': false }, USAGE);
  } catch (err) {
    process.stderr.write(`global-limit-accuracy: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  runScript('global-limit-accuracy', { keepLogs: options['keep-logs'] }, async (registry, dir, say) => {
    const [redisPort] = await freePorts(1);
    const redis = await startRedisServer(registry, dir, redisPort);
    say(`redis-server ready on 127.0.0.1:${redisPort}`);
    const shared = render(options, await phase(registry, dir, options, redisPort, say));
    if (!redis.alive) throw new Error(`redis-server ${redis.describeExit()} during the load\n${redis.tail()}`);
    const alone = render(options, await phase(registry, dir, options, null, say));
    process.stdout.write(`${shared.text}\n${alone.text}\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'global-limit-accuracy', options, phases: [shared.json, alone.json], node: process.version })}\n`);
    return 0;
  });
}

start();
