'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { upstreamConfig, proxyConfig, cacheProxyConfig } = require('./nginx-config');
const { largeBody } = require('./scenarios');
const { waitReady } = require('./http-probe');
const { benchNodeArgs } = require('./node-args');
const { trafficRoute } = require('./traffic-plans');

/**
 * Starting the upstream and the four targets. Each start writes its config into the temp dir,
 * spawns the server through the registry (so cleanup always reaches it), and waits until a
 * request answers 200, bounded by a deadline.
 */

/** Repository root (tools/bench/lib -> ../../..). */
const REPO = path.resolve(__dirname, '..', '..', '..');
/** The built daemon `npm run build` produces. */
const WEIR_MAIN = path.join(REPO, 'apps', 'weir', 'dist', 'main.js');
const SERVERS = path.join(__dirname, '..', 'servers');

/** Readiness deadlines: Weir builds and applies a snapshot to its workers first. */
const READY_MS = { nginx: 10_000, node: 15_000, weir: 30_000 };

/**
 * @typedef {object} Context
 * @property {import('./process-registry').ProcessRegistry} registry
 * @property {string} dir            temp dir (configs, logs)
 * @property {number} workers        worker processes per server
 * @property {string|null} nginx     nginx binary, or null when unavailable
 * @property {number} [regexRoutes]  regex routes ahead of Weir's catch-all (--regex-routes)
 * @property {TlsContext|null} [tls] TLS listeners to add (TLS scenarios selected), or null
 */

/**
 * @typedef {object} TlsContext
 * @property {import('./bench-certs').BenchCerts} certs
 * @property {boolean} http2On  nginx spells h2 `http2 on;` (>= 1.25.1)
 */

/**
 * The `tls` option of an nginx config for a TLS port, or null without TLS scenarios.
 * @param {Context} ctx
 * @param {number|undefined} port
 */
function nginxTls(ctx, port) {
  if (!ctx.tls || port === undefined) return null;
  return { port, cert: ctx.tls.certs.cert, key: ctx.tls.certs.key, http2On: ctx.tls.http2On };
}

/**
 * @typedef {object} Running
 * @property {string} name
 * @property {number} port
 * @property {number|null} [tlsPort]  TLS (HTTP/1.1 + h2) port, when the target has one
 * @property {import('./process-registry').ManagedProcess} proc
 * @property {{ port: number, token: string }} [admin]  the --traffic targets' and weir-cache's
 *   admin API (read scope)
 */

/**
 * @param {Context} ctx
 * @param {string} name
 * @param {string} conf
 * @param {number} port
 * @returns {Promise<Running>}
 */
async function startNginx(ctx, name, conf, port) {
  if (ctx.nginx === null) throw new Error('nginx is not available');
  const confPath = path.join(ctx.dir, `${name}-nginx.conf`);
  fs.writeFileSync(confPath, conf);
  // -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
  const args = ['-p', ctx.dir, '-e', path.join(ctx.dir, `${name}-error.log`), '-c', confPath];
  const proc = ctx.registry.spawn(`nginx ${name}`, ctx.nginx, args, { logPath: path.join(ctx.dir, `${name}.log`) });
  try {
    await waitReady(port, '/small', proc, READY_MS.nginx);
  } catch (err) {
    const log = readTail(path.join(ctx.dir, `${name}-error.log`)) || proc.tail();
    throw new Error(`${/** @type {Error} */ (err).message}\n${log}`);
  }
  return { name, port, proc };
}

/**
 * The upstream every target forwards to: nginx, or a node:http cluster when nginx is missing.
 * @param {Context} ctx
 * @param {number} port
 * @param {number} sinkPort   nginx-internal port for the POST sink
 * @param {number} [tlsPort]   with ctx.tls: also serve over TLS there (the TLS `direct` target;
 *                             the node:http fallback has no TLS port)
 * @returns {Promise<Running & { kind: 'nginx'|'node' }>}
 */
async function startUpstream(ctx, port, sinkPort, tlsPort) {
  if (ctx.nginx !== null) {
    const wwwDir = path.join(ctx.dir, 'www');
    fs.mkdirSync(wwwDir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(wwwDir, '64k'), largeBody(), { mode: 0o644 });
    const tls = nginxTls(ctx, tlsPort);
    const conf = upstreamConfig({ dir: ctx.dir, port, sinkPort, workers: ctx.workers, wwwDir, tls });
    return { ...(await startNginx(ctx, 'upstream', conf, port)), tlsPort: tls === null ? null : tls.port, kind: 'nginx' };
  }
  const proc = ctx.registry.spawn('node upstream', process.execPath,
    [path.join(SERVERS, 'node-upstream.js'), '--port', String(port), '--workers', String(ctx.workers)],
    { logPath: path.join(ctx.dir, 'upstream.log') });
  await withLog(proc, waitReady(port, '/small', proc, READY_MS.node));
  return { name: 'upstream', port, proc, kind: 'node' };
}

/** The reference reverse proxy; with ctx.tls also on `tlsPort` (TLS, HTTP/1.1 and h2). */
async function startNginxProxy(ctx, port, upstreamPort, tlsPort) {
  const tls = nginxTls(ctx, tlsPort);
  const running = await startNginx(ctx, 'proxy', proxyConfig({ dir: ctx.dir, port, upstreamPort, workers: ctx.workers, tls }), port);
  return { ...running, tlsPort: tls === null ? null : tls.port };
}

/**
 * nginx with proxy_cache (`nginx-cache`, the cached scenario only): its own instance, see
 * `cacheProxyConfig`.
 */
async function startNginxCacheProxy(ctx, port, upstreamPort) {
  const running = await startNginx(ctx, 'proxy-cache', cacheProxyConfig({ dir: ctx.dir, port, upstreamPort, workers: ctx.workers }), port);
  return { ...running, name: 'nginx-cache', tlsPort: null };
}

/**
 * What makes a Weir target a variant of `weir`; at most one of `baselineRepo`, `rollout`,
 * `plugins`, `traffic` and `cache` is set (none: the plain `weir` target).
 * @typedef {object} WeirVariant
 * @property {string} [baselineRepo]  another checkout to run (weir-baseline)
 * @property {string[]} [nodeArgs]  node flags for this daemon only (--baseline-node-args)
 * @property {{ percent: number, adminPort: number }} [rollout]  weir-rollout
 * @property {import('./plugin-chain').PluginChain} [plugins]  weir-plugins: the chain on the
 *   catch-all route; readiness polls send its headers
 * @property {{ target: 'weir-split'|'weir-split-plain'|'weir-mirror'|'weir-mirror-hole', adminPort: number,
 *   holeAddress: string|null }} [traffic]  --traffic: the catch-all route carries that target's
 *   traffic plan (lib/traffic-plans.js); an admin API with a read token on `adminPort`, so the
 *   bench can read the traffic counters from /metrics
 * @property {{ adminPort: number }} [cache]  weir-cache (the cached scenario): the catch-all
 *   route has `cache: {}` (every default: 64 MiB per worker); an admin API with a read token on
 *   `adminPort`, so the bench can read the cache counters from /metrics
 * @property {{ target: string, adminPort: number, section: object }} [tracing]  --tracing variants
 *   (issue 18, lib/tracing-bench.js): the config's `tracing` section, and an admin API with a
 *   read token on `adminPort` for the span counters
 * @property {number} [tlsPort]  with ctx.tls: a second listener there, TLS with the bench
 *   certificate (ALPN h2 and http/1.1, Weir's defaults), same route and upstream
 * @property {number} [routes]  weir-routes (--routes): that many routes ahead of the catch-all
 *   (`mixedRoutes`)
 */

/**
 * Weir: the built daemon with one catch-all route to the upstream, warn-level logs and no
 * access log (nginx's access log is off too).
 * @param {Context} ctx
 * @param {number} port
 * @param {number} upstreamPort
 * @param {WeirVariant} [variant]
 * @returns {Promise<Running>}
 */
async function startWeir(ctx, port, upstreamPort, variant = {}) {
  const { baselineRepo, nodeArgs, rollout, plugins, traffic, cache, tracing, tlsPort, routes } = variant;
  const main = baselineRepo === undefined ? WEIR_MAIN : path.resolve(baselineRepo, 'apps', 'weir', 'dist', 'main.js');
  const name = rollout !== undefined ? 'weir-rollout'
    : plugins !== undefined ? 'weir-plugins'
      : traffic !== undefined ? traffic.target
        : cache !== undefined ? 'weir-cache'
          : tracing !== undefined ? tracing.target
            : routes !== undefined ? 'weir-routes'
              : baselineRepo === undefined ? 'weir' : 'weir-baseline';
  if (!fs.existsSync(main)) {
    throw new Error(`${main} not found: build first (npm run build)`);
  }
  // An older build (--baseline) may predate --state-dir; only pass it where --help lists it.
  const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  const stateArgs = help.includes('--state-dir') ? ['--state-dir', path.join(ctx.dir, `${name}-state`)] : [];
  const adminPort = rollout !== undefined ? rollout.adminPort : traffic !== undefined ? traffic.adminPort : cache !== undefined ? cache.adminPort : tracing !== undefined ? tracing.adminPort : null;
  const token = rollout !== undefined ? benchToken(['read', 'rollout']) : traffic !== undefined || cache !== undefined || tracing !== undefined ? benchToken(['read']) : null;
  const upstreamAddress = `127.0.0.1:${upstreamPort}`;
  const plan = traffic === undefined ? null : trafficRoute(traffic.target, upstreamAddress, traffic.holeAddress);
  const config = {
    workers: ctx.workers,
    logging: { level: 'warn', accessLog: { enabled: false } },
    // The bench measures the data plane; no admin listener to collide with a running Weir
    // (weir-rollout has one on a free port, to start its rollout; the --traffic targets, to
    // read their counters from /metrics: the workers count them whether or not it listens).
    admin: token === null || adminPort === null ? { enabled: false } : { listen: { address: '127.0.0.1', port: adminPort }, tokens: [token.entry] },
    listeners: [{ name: 'bench', address: '127.0.0.1', port }],
    routes: [
      ...regexRoutes(ctx.regexRoutes ?? 0),
      ...mixedRoutes(routes ?? 0),
      {
        name: 'all',
        match: { path: { prefix: '/' } },
        ...(plan === null ? { upstream: 'u' } : plan.action),
        ...(plugins === undefined ? {} : { plugins: plugins.plugins }),
        ...(cache === undefined ? {} : { cache: {} }),
      },
    ],
    upstreams: plan === null ? [{ name: 'u', endpoints: [{ address: upstreamAddress }] }] : plan.upstreams,
    ...(tracing === undefined ? {} : { tracing: tracing.section }),
  };
  const withTls = ctx.tls && tlsPort !== undefined;
  if (withTls) {
    config.certificates = [{ name: 'bench', certFile: ctx.tls.certs.cert, keyFile: ctx.tls.certs.key }];
    config.listeners.push({ name: 'bench-tls', address: '127.0.0.1', port: tlsPort, tls: { certificates: ['bench'] } });
  }
  const confPath = path.join(ctx.dir, `${name}.json`);
  fs.writeFileSync(confPath, `${JSON.stringify(config, null, 2)}\n`);
  const adminListen = adminPort === null ? 'off' : `127.0.0.1:${adminPort}`;
  // WEIR_BENCH_NODE_ARGS: node flags for every Weir daemon of the run (profiling:
  // `--cpu-prof --cpu-prof-dir=DIR` writes one profile per process; see README.md here).
  const proc = ctx.registry.spawn(name, process.execPath,
    // A state directory of its own, so the bench never reads or writes the user's history.
    [...benchNodeArgs(), ...(nodeArgs ?? []), main, '--config', confPath, '--workers', String(ctx.workers), ...stateArgs],
    { logPath: path.join(ctx.dir, `${name}.log`), cwd: REPO, env: { ...process.env, WEIR_ADMIN_LISTEN: adminListen } });
  await withLog(proc, waitReady(port, '/small', proc, READY_MS.weir, plugins === undefined ? {} : plugins.headers));
  if (rollout !== undefined && token !== null) await withLog(proc, startRollout(rollout, token.token, config));
  const readAdmin = (traffic !== undefined || cache !== undefined || tracing !== undefined) && token !== null && adminPort !== null ? { admin: { port: adminPort, token: token.token } } : {};
  return { name, port, tlsPort: withTls ? tlsPort : null, proc, ...readAdmin };
}

/** A fresh admin token with `scopes`, hashed with Weir's own function. */
function benchToken(scopes) {
  const { generateToken, hashToken } = require(path.join(REPO, 'packages', 'controlplane', 'dist', 'index.js'));
  const token = generateToken();
  return { token, entry: { name: 'bench', hash: hashToken(token), scopes } };
}

/**
 * Starts a rollout that holds `percent` of requests on a candidate for the whole run: the same
 * upstream under another route name (so the two runtimes differ), one stage baking for a day,
 * and a `minRequests` (a million) no run of the candidate reaches, so the analysis never advances or aborts it.
 */
async function startRollout(rollout, token, config) {
  const candidate = { ...config, routes: config.routes.map((r) => (r.name === 'all' ? { ...r, name: 'all-candidate' } : r)) };
  const body = JSON.stringify({ config: candidate, stages: [{ percent: rollout.percent, bakeSeconds: 86400 }], analysis: { minRequests: 1000000 } });
  const res = await fetch(`http://127.0.0.1:${rollout.adminPort}/admin/rollouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  if (res.status !== 201) throw new Error(`starting the rollout failed: ${res.status} ${await res.text()}`);
}

/**
 * `count` routes with path regexes that never match the bench paths, to put ahead of the
 * catch-all route: every request is matched against all of them (issue 14's "100 regex routes").
 * Half have a literal prefix (`/svc7/items/[0-9]+`), half start with a group, so no prefix
 * shortcut can skip them for `/small`. Each compiles to fewer than 100 RE2 instructions.
 * @param {number} count
 */
function regexRoutes(count) {
  const routes = [];
  for (let i = 0; i < count; i++) {
    const regex = i % 2 === 0 ? `/svc${i}/items/[0-9]+` : `/(v${i}|w${i})/[a-z]+/[0-9]+`;
    routes.push({ name: `re${i}`, match: { path: { regex } }, directResponse: { status: 200, body: `re${i}\n` } });
  }
  return routes;
}

/**
 * `count` routes of the kinds a real gateway config holds, none of which the bench's requests
 * (Host 127.0.0.1:PORT, paths /small, /64k, /post) match, for the weir-routes target (issue 13:
 * small-GET throughput with 10,000 routes against one): in every 20, 8 host routes
 * (`hosts: ["hN.example.com"]`, with a path prefix), 5 path prefixes (`/svcN`), 5 exact paths
 * (`/api/vN/items`) and 2 path regexes (one with a literal prefix, one starting with a group).
 * All go to the bench upstream. The catch-all follows them, so it is the last route in config
 * order; the router still reaches it without walking the others (host buckets, a prefix tree,
 * exact paths in a map, one RE2 set per bucket), which is what the figure checks.
 * @param {number} count
 */
function mixedRoutes(count) {
  const routes = [];
  for (let i = 0; i < count; i++) {
    const k = i % 20;
    const match = k < 8 ? { hosts: [`h${i}.example.com`], path: { prefix: `/app${i % 50}` } }
      : k < 13 ? { path: { prefix: `/svc${i}` } }
        : k < 18 ? { path: { exact: `/api/v${i}/items` } }
          : k === 18 ? { path: { regex: `/orders${i}/[0-9]+/lines` } }
            : { path: { regex: `/(a${i}|b${i})/[a-z]+/[0-9]+` } };
    routes.push({ name: `r${i}`, match, upstream: 'u' });
  }
  return routes;
}

/** http-proxy in a node:cluster (SCHED_NONE), see servers/http-proxy-server.js. */
async function startHttpProxy(ctx, port, upstreamPort) {
  const proc = ctx.registry.spawn('http-proxy', process.execPath, [
    path.join(SERVERS, 'http-proxy-server.js'), '--port', String(port),
    '--target', `http://127.0.0.1:${upstreamPort}`, '--workers', String(ctx.workers),
  ], { logPath: path.join(ctx.dir, 'http-proxy.log') });
  await withLog(proc, waitReady(port, '/small', proc, READY_MS.node));
  return { name: 'http-proxy', port, proc };
}

/** Adds the tail of the process log to a start failure. */
async function withLog(proc, promise) {
  try {
    await promise;
  } catch (err) {
    const tail = proc.tail();
    throw new Error(`${/** @type {Error} */ (err).message}${tail ? `\n${tail}` : ''}`);
  }
}

function readTail(file) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

module.exports = { startUpstream, startNginxProxy, startNginxCacheProxy, startWeir, startHttpProxy, benchToken, WEIR_MAIN };
