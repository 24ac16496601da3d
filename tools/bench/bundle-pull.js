#!/usr/bin/env node
'use strict';

/**
 * Bundle puller figures (issue 12, "Figures for the closing note"). Not a timed test.
 *
 *     npx tsc -b && node tools/bench/bundle-pull.js [--routes N] [--polls N] [--trials N] [--interval MS]
 *
 * 1. Verification of an N-route bundle (default 20,000): sign it, then time
 *    `BundleVerifier.verify` alone (envelope, digest, ed25519, payload parse) and with the
 *    puller's config check (`bundleConfigValidator`: validateConfig + certificate files), best
 *    and median of 5.
 * 2. Idle puller CPU: a `BundlePuller` polls a static server that answers 304 (the server runs in
 *    a child process, so only the puller's CPU is counted); `--polls` polls back to back
 *    (default 300), CPU time per poll from `process.cpuUsage()`, then the CPU share that means at
 *    the default 30 s interval and at 5 s.
 * 3. New bundle to every worker serving it: the built daemon (2 workers) pulls every `--interval`
 *    ms (default 5000, jitter 0) from a loopback static server; a new revision is published at a
 *    random moment and the proxy is polled every 10 ms until every answer (on fresh
 *    connections, so both workers are hit) is the new one and /admin/status shows every worker
 *    on the new version. `--trials` times (default 3).
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawnDaemon } = require('./lib/daemon-process');
const { adminRequest } = require('./lib/admin-request');

const ROOT = path.resolve(__dirname, '..', '..');
const bundleLib = require(path.join(ROOT, 'packages/bundle/dist/index.js'));
const controlplane = require(path.join(ROOT, 'packages/controlplane/dist/index.js'));
const { createLogger } = require(path.join(ROOT, 'packages/obs/dist/index.js'));

const say = (line) => process.stderr.write(`[bundle-pull] ${line}\n`);
function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const routesN = flag('--routes', 20_000);
const pollsN = flag('--polls', 300);
const trials = flag('--trials', 3);
const intervalMs = flag('--interval', 5000);

const KEY = bundleLib.signingKeyFromSeed('bench', Buffer.alloc(32, 5));
const trustedKeys = [{ keyId: KEY.keyId, publicKey: bundleLib.encodeBase64(bundleLib.publicKeyOf(KEY).publicKey) }];

function bigConfig(n) {
  const routes = [];
  for (let i = 0; i < n; i++) {
    routes.push({ name: `r${i}`, match: { hosts: [`h${i % 1000}.example.com`], path: { prefix: `/svc${i}` } }, directResponse: { status: 200, body: `route ${i}` } });
  }
  return { workers: 2, listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }], routes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function verification() {
  const config = bigConfig(routesN);
  const signed = bundleLib.signBundle({ revision: 1, createdAt: Date.now(), config }, [KEY]);
  const verifier = new bundleLib.BundleVerifier({ keys: [bundleLib.publicKeyOf(KEY)] });
  const pull = { url: 'http://127.0.0.1/b', trustedKeys };
  const validator = controlplane.bundleConfigValidator(pull);
  const bare = [];
  const full = [];
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    const a = verifier.verify(signed.bytes, { now: Date.now() });
    bare.push(performance.now() - t);
    t = performance.now();
    const b = verifier.verify(signed.bytes, { now: Date.now(), validateConfig: validator });
    full.push(performance.now() - t);
    if (!a.ok || !b.ok) throw new Error(`verification failed: ${(a.ok ? b : a).error.message}`);
  }
  say(`verify ${routesN}-route bundle (${(signed.bytes.length / 1e6).toFixed(1)} MB): signatures+parse best ${Math.min(...bare).toFixed(1)} ms, median ${median(bare).toFixed(1)} ms; with config validation best ${Math.min(...full).toFixed(1)} ms, median ${median(full).toFixed(1)} ms`);
}

/** A static server answering 304 to the matching ETag, in a child process. */
function startStaticChild(bytes) {
  const file = path.join(os.tmpdir(), `weir-bench-${process.pid}.bundle`);
  fs.writeFileSync(file, bytes);
  const code = `
    const http = require('node:http'); const fs = require('node:fs'); const crypto = require('node:crypto');
    const file = process.argv[1];
    const server = http.createServer((req, res) => {
      const body = fs.readFileSync(file);
      const etag = '"' + crypto.createHash('sha256').update(body).digest('hex').slice(0, 16) + '"';
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }).end(); return; }
      res.writeHead(200, { etag, 'content-type': 'application/json' }).end(body);
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { child, port, file };
}

async function idleCpu() {
  const signed = bundleLib.signBundle({ revision: 1, createdAt: Date.now(), config: bigConfig(10) }, [KEY]);
  const server = startStaticChild(signed.bytes);
  const url = `http://127.0.0.1:${await server.port}/weir.bundle`;
  const applier = { apply: async () => ({ changed: false, version: 'v', hash: 'h', spec: {} }) };
  const puller = new controlplane.BundlePuller({ section: { url, trustedKeys, intervalMs: 1000 }, applier, logger: createLogger({ level: 'silent', name: 'bench' }) });
  if ((await puller.poll()) !== 'applied') throw new Error('first poll did not apply');
  for (let i = 0; i < 20; i++) await puller.poll();
  const before = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < pollsN; i++) {
    const outcome = await puller.poll();
    if (outcome !== 'unchanged') throw new Error(`poll ${i}: ${outcome}`);
  }
  const used = process.cpuUsage(before);
  const perPollUs = (used.user + used.system) / pollsN;
  say(`idle puller: ${pollsN} polls answered 304 in ${(performance.now() - wall).toFixed(0)} ms; CPU ${perPollUs.toFixed(0)} us per poll = ${((perPollUs / 30_000_000) * 100).toFixed(4)}% of a core at a 30 s interval, ${((perPollUs / 5_000_000) * 100).toFixed(4)}% at 5 s`);
  await puller.stop();
  server.child.kill();
  fs.rmSync(server.file, { force: true });
}

function get(port) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function toAllWorkers() {
  const token = 'weir_' + crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('base64url');
  const admin = { tokens: [{ name: 'bench', hash: `sha256$${salt}$${crypto.createHash('sha256').update(salt).update(token).digest('hex')}`, scopes: ['admin'] }] };
  const served = (body) => ({ workers: 2, logging: { level: 'info' }, listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }], routes: [{ name: 'r', directResponse: { status: 200, body } }], admin });
  let current = bundleLib.signBundle({ revision: 1, createdAt: Date.now(), config: served('revision 1') }, [KEY]).bytes;
  const source = http.createServer((req, res) => {
    const etag = `"${crypto.createHash('sha256').update(current).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { etag }).end(current);
  });
  await new Promise((r) => source.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${source.address().port}/weir.bundle`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-bench-pull-'));
  const configPath = path.join(dir, 'weir.json');
  fs.writeFileSync(configPath, JSON.stringify({ ...served('bootstrap'), pull: { url, trustedKeys, intervalMs, jitterMs: 0 } }));
  const { child, ready } = spawnDaemon(path.join(ROOT, 'apps/weir/dist/main.js'), ['--config', configPath, '--state-dir', dir], { WEIR_ADMIN_LISTEN: '127.0.0.1:0' });
  try {
    const line = await ready;
    const port = line.listeners[0].port;
    const adminPort = line.admin.port;
    while ((await get(port)) !== 'revision 1') await new Promise((r) => setTimeout(r, 20));
    const results = [];
    for (let trial = 0; trial < trials; trial++) {
      const revision = trial + 2;
      await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
      const expected = `revision ${revision}`;
      current = bundleLib.signBundle({ revision, createdAt: Date.now(), config: served(expected) }, [KEY]).bytes;
      const t0 = performance.now();
      for (;;) {
        const bodies = await Promise.all([get(port), get(port), get(port), get(port)]);
        if (bodies.every((b) => b === expected)) {
          const status = await adminRequest(false, adminPort, 'GET', '/admin/status', token);
          const json = JSON.parse(status.text);
          if (json.workers.every((w) => w.version === json.config.version)) break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      results.push(performance.now() - t0);
      say(`trial ${trial + 1}: revision ${revision} served by every worker ${(results[results.length - 1] / 1000).toFixed(2)} s after it appeared`);
    }
    say(`new bundle to every worker, ${intervalMs} ms interval, jitter 0: median ${(median(results) / 1000).toFixed(2)} s, max ${(Math.max(...results) / 1000).toFixed(2)} s over ${trials} trials (expected: uniform 0..interval + apply)`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  verification();
  await idleCpu();
  await toAllWorkers();
})().catch((err) => {
  say(err.stack ?? String(err));
  process.exit(1);
});
