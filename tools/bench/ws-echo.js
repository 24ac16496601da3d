#!/usr/bin/env node
'use strict';

/**
 * WebSocket echo round trip, direct vs through Weir (issue 8's figure: p99 under 1 ms added).
 *
 *     npm run build && node tools/bench/ws-echo.js [--messages N] [--size BYTES] [--connections N]
 *                                                  [--rounds N] [--workers N]
 *
 * Starts a `ws` echo server in a child process (so it never shares the client's event loop) and
 * the built daemon (apps/weir/dist/main.js, `workers` workers, one catch-all route to the echo
 * server, log level warn, no access log, no admin listener). Then, in rounds that alternate the
 * two targets (so background noise falls on both), `connections` WebSocket clients each send
 * `messages` messages of `size` bytes in a closed loop (send, wait for the echo, send the next)
 * after an unmeasured warm-up of 200 messages per client, and record every round trip.
 *
 * Prints a Markdown table (p50, p90, p99, max, mean in milliseconds; `added` = Weir minus direct
 * at the same percentile) and a JSON line, and stops everything on exit, also on failure.
 *
 * `ws` comes from the workspace's own dev dependencies (the bench needs a built workspace anyway).
 */

const { spawnDaemon } = require('./lib/daemon-process');
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');
const { WebSocket, WebSocketServer } = require(require.resolve('ws', { paths: [ROOT] }));

const say = (line) => process.stderr.write(`[ws-echo-bench] ${line}\n`);

// --- echo server (child process) ---------------------------------------------------------

function runEcho() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => undefined);
  });
  wss.on('listening', () => process.send({ port: wss.address().port }));
  process.on('disconnect', () => process.exit(0));
}

function startEcho() {
  const child = fork(__filename, ['--echo-server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the echo server exited (${code})`)));
  });
  return { child, port };
}

// --- Weir --------------------------------------------------------------------------------

function startDaemon(dir, echoPort, workers) {
  const config = {
    workers,
    logging: { level: 'warn', accessLog: { enabled: false } },
    admin: { enabled: false },
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [{ name: 'ws', upstream: 'echo' }],
    upstreams: [{ name: 'echo', endpoints: [{ address: `127.0.0.1:${echoPort}` }] }],
  };
  const configPath = path.join(dir, 'weir.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  const { child, ready } = spawnDaemon(DAEMON, ['--config', configPath, '--state-dir', path.join(dir, 'state'), '--no-watch'], {
    WEIR_ADMIN_LISTEN: 'off',
    WEIR_LOG_LEVEL: 'info',
  });
  return { child, ready };
}

/** The proxy port from the `weir ready` line (its shape: `listeners: [{ name, port }]`). */
function proxyPort(ready) {
  const listeners = ready.listeners ?? ready.ports ?? [];
  const first = Array.isArray(listeners) ? listeners[0] : Object.values(listeners)[0];
  const port = typeof first === 'number' ? first : first?.port;
  if (typeof port !== 'number') throw new Error(`no listener port in "weir ready": ${JSON.stringify(ready)}`);
  return port;
}

// --- load --------------------------------------------------------------------------------

function open(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** `count` closed-loop round trips on `ws`; pushes each in milliseconds to `out` when given. */
function loop(ws, payload, count, out) {
  return new Promise((resolve, reject) => {
    let left = count;
    let started = 0n;
    const onMessage = () => {
      if (out !== null) out.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (--left === 0) {
        ws.off('message', onMessage);
        resolve();
        return;
      }
      started = process.hrtime.bigint();
      ws.send(payload);
    };
    ws.on('message', onMessage);
    ws.once('close', () => (left > 0 ? reject(new Error('the connection closed mid-run')) : undefined));
    started = process.hrtime.bigint();
    ws.send(payload);
  });
}

async function measure(port, options, samples) {
  const payload = Buffer.alloc(options.size, 0x61);
  const clients = await Promise.all(Array.from({ length: options.connections }, () => open(port)));
  await Promise.all(clients.map((ws) => loop(ws, payload, 200, null)));
  await Promise.all(clients.map((ws) => loop(ws, payload, options.messages, samples)));
  await Promise.all(
    clients.map((ws) => new Promise((resolve) => {
      ws.once('close', resolve);
      ws.close(1000);
    })),
  );
}

function stats(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1], mean };
}

// --- main --------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { messages: 5000, size: 32, connections: 1, rounds: 3, workers: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value <= 0) throw new Error(`bad argument: ${argv[i]} ${argv[i + 1]}`);
    options[key] = value;
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(DAEMON)) throw new Error(`${DAEMON} not found: build first (npm run build)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-ws-bench-'));
  const echo = startEcho();
  let daemon = null;
  const stop = () => {
    if (daemon !== null) daemon.child.kill('SIGKILL');
    echo.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    const echoPort = await echo.port;
    daemon = startDaemon(dir, echoPort, options.workers);
    const weirPort = proxyPort(await daemon.ready);
    say(`echo on ${echoPort}, weir on ${weirPort} (${options.workers} workers); ${options.rounds} rounds x ${options.connections} connection(s) x ${options.messages} messages of ${options.size} B`);
    const samples = { direct: [], weir: [] };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? ['direct', 'weir'] : ['weir', 'direct'];
      for (const target of order) await measure(target === 'direct' ? echoPort : weirPort, options, samples[target]);
      say(`round ${round + 1} done`);
    }
    const direct = stats(samples.direct);
    const weir = stats(samples.weir);
    const f = (v) => v.toFixed(3);
    const rows = ['p50', 'p90', 'p99', 'max', 'mean'];
    console.log(`\nWebSocket echo round trip, ${options.size} B messages, ${options.connections} connection(s), ${weir.count} round trips per target (ms)\n`);
    console.log('| target | ' + rows.join(' | ') + ' |');
    console.log('|---|' + rows.map(() => '---').join('|') + '|');
    console.log('| direct | ' + rows.map((r) => f(direct[r])).join(' | ') + ' |');
    console.log('| weir | ' + rows.map((r) => f(weir[r])).join(' | ') + ' |');
    console.log('| added | ' + rows.map((r) => f(weir[r] - direct[r])).join(' | ') + ' |');
    console.log(JSON.stringify({ bench: 'ws-echo', options, direct, weir, addedP50: weir.p50 - direct.p50, addedP99: weir.p99 - direct.p99, node: process.version, cpus: os.cpus().length }));
  } finally {
    stop();
  }
}

if (process.argv[2] === '--echo-server') {
  runEcho();
} else {
  main().catch((err) => {
    say(err.stack ?? String(err));
    process.exitCode = 1;
  });
}
