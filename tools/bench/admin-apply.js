#!/usr/bin/env node
'use strict';

/**
 * Admin API apply benchmark (issue 3's closing figures). Not a timed test.
 *
 *     npm run build && node tools/bench/admin-apply.js [--rounds N] [--workers N]
 *
 * Starts the built daemon (apps/weir/dist/main.js) with 2 workers, the admin API on a free
 * loopback port and a throw-away state directory, then for 10, 1,000 and 20,000 routes applies
 * `rounds` configs (each differs from the last, so every apply is a real two-phase apply) with
 * `POST /admin/config`. Apply latency is request sent -> response received: the response is
 * written once every worker has committed the new version and the state directory holds it.
 *
 * During each 20,000-route apply a client polls `GET /admin/health` back to back (one keep-alive
 * connection, one request at a time) and the latencies of those probes give the health p99:
 * the admin API must keep answering while a large config is validated, built (piscina),
 * encoded, sent and committed.
 *
 * Prints a Markdown table and a JSON line, and stops the daemon on exit (also on failure).
 */

const { spawnDaemon } = require('./lib/daemon-process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { adminRequest } = require('./lib/admin-request');

const ROOT = path.resolve(__dirname, '..', '..');
const DAEMON = path.join(ROOT, 'apps', 'weir', 'dist', 'main.js');
const SIZES = [10, 1_000, 20_000];

const say = (line) => process.stderr.write(`[admin-bench] ${line}\n`);

function parseOptions(argv) {
  const options = { rounds: 5, workers: 2 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if ((flag === '--rounds' || flag === '--workers') && Number.isInteger(value) && value > 0) {
      options[flag.slice(2)] = value;
      i++;
    } else {
      throw new Error(`usage: node tools/bench/admin-apply.js [--rounds N] [--workers N] (got "${flag}")`);
    }
  }
  return options;
}

/** A token and its config entry (the same salted sha256 form as `weir token`). */
function makeToken() {
  const token = 'weir_' + crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('base64url');
  const digest = crypto.createHash('sha256').update(salt).update(token).digest('hex');
  return { token, entry: { name: 'bench', hash: `sha256$${salt}$${digest}`, scopes: ['admin'] } };
}

/**
 * A config with `routes` routes: exact paths, half answered directly, half forwarded to one
 * upstream (never called), plus a catch-all. `generation` changes one body so that each apply
 * has a new hash.
 */
function configFor(routes, generation, workers, tokenEntry) {
  const list = [];
  for (let i = 0; i < routes - 1; i++) {
    list.push(
      i % 2 === 0
        ? { name: `r${i}`, match: { path: { exact: `/r/${i}` }, methods: ['GET'] }, directResponse: { status: 200, body: `route ${i}` } }
        : { name: `r${i}`, match: { path: { prefix: `/api/${i}` }, hosts: [`h${i % 50}.example.com`] }, upstream: 'backend' },
    );
  }
  list.push({ name: 'catch-all', directResponse: { status: 200, body: `generation ${generation}` } });
  return {
    workers,
    logging: { level: 'warn' },
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: list,
    upstreams: [{ name: 'backend', endpoints: [{ address: '127.0.0.1:9' }] }],
    admin: { tokens: [tokenEntry], maxBodyBytes: 64 * 1024 * 1024 },
  };
}

function startDaemon(configPath, stateDir) {
  return spawnDaemon(DAEMON, ['--config', configPath, '--state-dir', stateDir, '--no-watch'], {
    WEIR_ADMIN_LISTEN: '127.0.0.1:0',
    WEIR_LOG_LEVEL: 'info',
  });
}

const request = adminRequest;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '-');

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(DAEMON)) throw new Error(`${DAEMON} is missing: run "npm run build" first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-admin-bench-'));
  const { token, entry } = makeToken();
  const configPath = path.join(dir, 'weir.json');
  fs.writeFileSync(configPath, JSON.stringify(configFor(10, 0, options.workers, entry)));
  const daemon = startDaemon(configPath, path.join(dir, 'state'));
  const stop = () => {
    if (daemon.child.exitCode === null) daemon.child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    const ready = await daemon.ready;
    const port = ready.admin.port;
    say(`daemon ready: ${options.workers} workers, admin on 127.0.0.1:${port}, ${options.rounds} rounds per size`);
    const applyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const results = [];
    let generation = 1;
    for (const size of SIZES) {
      const latencies = [];
      const health = [];
      let bytes = 0;
      for (let round = 0; round < options.rounds; round++) {
        const body = JSON.stringify(configFor(size, generation++, options.workers, entry));
        bytes = Buffer.byteLength(body);
        let applying = true;
        const probes = (async () => {
          if (size !== SIZES[SIZES.length - 1]) return;
          while (applying) {
            const started = process.hrtime.bigint();
            const answer = await request(healthAgent, port, 'GET', '/admin/health', token);
            if (answer.status !== 200) throw new Error(`health answered ${answer.status}`);
            health.push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        })();
        const started = process.hrtime.bigint();
        const answer = await request(applyAgent, port, 'POST', '/admin/config', token, body);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        applying = false;
        await probes;
        if (answer.status !== 200 || JSON.parse(answer.text).changed !== true) {
          throw new Error(`apply of ${size} routes answered ${answer.status}: ${answer.text.slice(0, 500)}`);
        }
        latencies.push(elapsed);
        say(`${size} routes, round ${round + 1}: ${ms(elapsed)} ms`);
      }
      latencies.sort((a, b) => a - b);
      health.sort((a, b) => a - b);
      results.push({
        routes: size,
        bodyBytes: bytes,
        applyMs: { min: latencies[0], median: percentile(latencies, 50), max: latencies[latencies.length - 1] },
        health: health.length === 0 ? null : { probes: health.length, p50: percentile(health, 50), p99: percentile(health, 99), max: health[health.length - 1] },
      });
    }
    applyAgent.destroy();
    healthAgent.destroy();
    const rows = results.map((r) => {
      const h = r.health;
      return `| ${r.routes.toLocaleString('en')} | ${(r.bodyBytes / 1024).toFixed(0)} KiB | ${ms(r.applyMs.min)} | ${ms(r.applyMs.median)} | ${ms(r.applyMs.max)} | ${h === null ? '-' : `${h.probes} probes: p50 ${ms(h.p50)}, p99 ${ms(h.p99)}, max ${ms(h.max)}`} |`;
    });
    process.stdout.write(
      [
        `Admin apply latency (request -> every worker committed), ${options.workers} workers, ${options.rounds} applies per size, ${os.cpus().length} CPUs, Node ${process.version}`,
        '',
        '| routes | body | min ms | median ms | max ms | GET /admin/health during the apply (ms) |',
        '|---:|---:|---:|---:|---:|---|',
        ...rows,
        '',
        JSON.stringify({ workers: options.workers, rounds: options.rounds, results }),
        '',
      ].join('\n'),
    );
  } finally {
    stop();
  }
}

main().catch((err) => {
  say(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
