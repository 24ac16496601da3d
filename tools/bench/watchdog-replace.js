#!/usr/bin/env node
'use strict';

/**
 * Worker watchdog figures (issue 15). Not a timed test.
 *
 *     npm run build && node tools/bench/watchdog-replace.js [--timeout MS] [--rounds N]
 *
 * Starts the built daemon with 2 workers, `server.watchdogTimeoutMs` = `--timeout` (default the
 * config default, 5000) and the worker test hook (`WEIR_TEST_HOOKS=block-on-sigusr2`), then per
 * round blocks one worker's event loop with SIGUSR2 and reports, from the daemon's own log
 * timestamps: block to `worker unresponsive`, block to the replacement's `worker ready`, and the
 * requests sent meanwhile on fresh connections that failed (the other worker should take them).
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { freePorts } = require('./lib/free-ports');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const timeoutMs = flag('--timeout', 5000);
const rounds = flag('--rounds', 3);

function get(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function main() {
  const [port] = await freePorts(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-watchdog-bench-'));
  const config = {
    workers: 2,
    logging: { level: 'info' },
    admin: { enabled: false },
    server: { watchdogTimeoutMs: timeoutMs },
    listeners: [{ name: 'main', address: '127.0.0.1', port }],
    routes: [{ name: 'hello', directResponse: { status: 200, body: 'ok' } }],
  };
  fs.writeFileSync(path.join(dir, 'weir.json'), JSON.stringify(config));
  const daemon = spawn(process.execPath, [DAEMON, '--config', path.join(dir, 'weir.json'), '--state-dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, WEIR_TEST_HOOKS: 'block-on-sigusr2', WEIR_ADMIN_LISTEN: 'off' },
  });
  process.on('exit', () => daemon.kill('SIGKILL'));
  const logs = [];
  const waiters = [];
  readline.createInterface({ input: daemon.stdout }).on('line', (line) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    logs.push(entry);
    if (process.env.DEBUG_BENCH) process.stderr.write(line + '\n');
    for (const w of waiters.slice()) if (w.match(entry)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(entry); }
  });
  const next = (match, ms = 60_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for a log line')), ms);
    waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
  });
  await next((e) => e.msg === 'weir ready');
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    const live = new Set();
    for (const e of logs) {
      if (e.msg === 'worker started') live.add(e.workerPid);
      if (e.msg === 'worker exited' || e.msg === 'unresponsive worker killed') live.delete(e.workerPid);
    }
    const victim = [...live][0];
    // Every waiter is registered before the block: the lines can arrive in one chunk.
    const replacing = next((e) => e.msg === 'worker unresponsive; replacing it' && e.workerPid === victim);
    const ready = next((r) => r.msg === 'worker ready' && r.workerPid !== victim && !live.has(r.workerPid));
    const killed = next((e) => e.msg === 'unresponsive worker killed' && e.workerPid === victim);
    const blockedAt = Date.now();
    process.kill(victim, 'SIGUSR2');
    let sent = 0;
    let failed = 0;
    let done = false;
    const loop = (async () => {
      while (!done) {
        sent++;
        if ((await get(port)) !== 200) failed++;
      }
    })();
    const unresponsive = await replacing;
    const fresh = await ready;
    done = true;
    await loop;
    await killed;
    rows.push({ round, detectMs: (typeof unresponsive.time === 'number' ? unresponsive.time : Date.parse(unresponsive.time)) - blockedAt, servingMs: (typeof fresh.time === 'number' ? fresh.time : Date.parse(fresh.time)) - blockedAt, sent, failed });
  }
  console.log(`\nwatchdogTimeoutMs = ${timeoutMs}\n`);
  console.log('| round | block -> detected | block -> replacement serving | requests meanwhile | failed |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.round} | ${r.detectMs} ms | ${r.servingMs} ms | ${r.sent} | ${r.failed} |`);
  daemon.kill('SIGTERM');
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
