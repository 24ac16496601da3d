#!/usr/bin/env node
'use strict';

/**
 * Weir end-to-end benchmark (`npm run bench`; see README.md here).
 *
 * Starts one upstream (nginx) and the targets -- direct (the upstream itself), nginx as reverse
 * proxy, Weir, http-proxy -- each with the same number of workers on its own loopback port,
 * checks that every target answers every scenario correctly, then drives them with wrk in
 * interleaved order (scenario by scenario, targets round-robin, rotating who goes first each
 * round) so that machine noise spreads over all of them. Prints a Markdown table per scenario
 * with ratios to nginx from the same run, writes the raw numbers as JSON, and stops every
 * process it started, also on Ctrl-C and on failure.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, UsageError, HELP } = require('./lib/args');
const { ProcessRegistry } = require('./lib/process-registry');
const { ensureTool, versionOf } = require('./lib/system-tools');
const { freePorts } = require('./lib/free-ports');
const { probe, probeTls } = require('./lib/http-probe');
const { SCENARIOS, POST_SIZE, usesTls } = require('./lib/scenarios');
const { runWrk } = require('./lib/wrk-runner');
const { runH2load } = require('./lib/h2load-runner');
const { makeBenchCerts } = require('./lib/bench-certs');
const { nginxHasHttp2Directive } = require('./lib/nginx-config');
const { summarize } = require('./lib/report');
const { reportLines } = require('./lib/run-report');
const { makePluginChain, checkPluginAnswers } = require('./lib/plugin-chain');
const targets = require('./lib/targets');
const traffic = require('./lib/traffic-plans');
const cache = require('./lib/cache-bench');
const tracing = require('./lib/tracing-bench');
const { treeCpuSeconds } = require('./lib/process-cpu');
const { treeRss, sampleRssPeak, describeRss } = require('./lib/process-memory');

/** 1-minute load average before the bench started anything: other work on the machine. */
const START_LOAD = os.loadavg()[0];

const say = (line) => process.stderr.write(`[bench] ${line}\n`);

/** --traffic: weir-mirror-hole's black hole, running in this process; start() closes it. */
/** @type {import('./lib/traffic-plans').BlackHole|null} */
let blackHole = null;

/**
 * Status of one requested target.
 * @typedef {{ status: 'ok'|'skipped'|'failed', reason: string|null, port: number|null,
 *   tlsPort: number|null, proc: import('./lib/process-registry').ManagedProcess|null,
 *   idleRss?: import('./lib/process-memory').TreeRss|null }} TargetState
 */

/**
 * @param {import('./lib/args').BenchOptions} opts
 * @param {ProcessRegistry} registry
 * @param {string} dir  temp dir for configs and logs
 * @returns {Promise<number|null>} exit status; null when interrupted (the signal handler exits)
 */
async function main(opts, registry, dir) {
  say(`work dir ${dir}`);
  const notes = [];
  /** @type {Record<string, TargetState>} */
  const state = {};
  if (opts.baseline !== null && !opts.targets.includes('weir-baseline')) {
    // Measured in the same run, interleaved with the others: the only fair before/after.
    opts.targets.splice(opts.targets.indexOf('weir') + 1 || opts.targets.length, 0, 'weir-baseline');
  }
  if (opts.routes > 0 && !opts.targets.includes('weir-routes')) {
    opts.targets.splice(opts.targets.indexOf('weir') + 1 || opts.targets.length, 0, 'weir-routes');
  }
  if (opts.rollout !== null && !opts.targets.includes('weir-rollout')) {
    opts.targets.splice(opts.targets.indexOf('weir') + 1 || opts.targets.length, 0, 'weir-rollout');
  }
  if (opts.plugins && !opts.targets.includes('weir-plugins')) {
    opts.targets.splice(opts.targets.indexOf('weir') + 1 || opts.targets.length, 0, 'weir-plugins');
  }
  // --traffic: the three plan variants, after the other weir variants. When --targets named some
  // of them, only those run.
  if (opts.traffic && !opts.targets.some((t) => traffic.TRAFFIC_TARGETS.includes(t))) {
    let at = ['weir-plugins', 'weir-rollout', 'weir-baseline', 'weir'].map((t) => opts.targets.indexOf(t)).find((i) => i !== -1);
    at = at === undefined ? opts.targets.length : at + 1;
    opts.targets.splice(at, 0, ...traffic.TRAFFIC_TARGETS);
  }
  // --tracing: the four tracing variants, right after weir (propagation only, the default).
  if (opts.tracing && !opts.targets.some((t) => tracing.TRACING_TARGETS.includes(t))) {
    const at = opts.targets.indexOf('weir');
    opts.targets.splice(at === -1 ? opts.targets.length : at + 1, 0, ...tracing.TRACING_TARGETS);
  }
  // --plugins: one key pair and token per run; every request to every target carries them.
  const chain = opts.plugins ? makePluginChain() : null;
  /** @type {Record<string, string>} */
  const requestHeaders = { ...(chain === null ? {} : chain.headers), ...(opts.traffic ? traffic.FIXED_HEADERS : {}) };
  // --traffic: wrk varies x-user per request (every target alike); probes and h2load send user-1.
  const rotation = opts.traffic ? traffic.ROTATION : null;
  for (const t of opts.targets) state[t] = { status: 'ok', reason: null, port: null, tlsPort: null, proc: null };
  const fail = (t, status, reason) => {
    state[t].status = status;
    state[t].reason = reason;
    say(`${t}: ${status.toUpperCase()}: ${reason}`);
  };

  const wrk = ensureTool('wrk', 'wrk', opts.install, say);
  if ('skip' in wrk) {
    for (const t of opts.targets) fail(t, 'skipped', `no load generator: ${wrk.skip}`);
    return finish(opts, dir, state, [], notes, { wrk: null, nginx: null, upstream: null });
  }
  const nginxTool = ensureTool('nginx', 'nginx', opts.install, say);
  const nginx = 'path' in nginxTool ? nginxTool.path : null;
  if (nginx === null) {
    notes.push(`nginx unavailable (${nginxTool.skip}): the upstream is a node:http cluster instead, and there are no ratios to nginx.`);
    if (state.nginx) fail('nginx', 'skipped', nginxTool.skip);
  }
  if (state['http-proxy']) {
    try {
      require.resolve('http-proxy', { paths: [__dirname] });
    } catch {
      fail('http-proxy', 'skipped', 'package http-proxy not installed: run `npm --prefix tools/bench ci`');
    }
  }
  const nginxVersion = nginx === null ? null : versionOf(nginx, ['-v']);
  const tools = { wrk: versionOf(wrk.path, ['-v']).replace(/\s*Copyright.*$/, ''), nginx: nginxVersion, h2load: null, upstream: null };

  // TLS scenarios: one certificate per run, made here; h2-small also needs h2load.
  const dropScenarios = (ids, why) => {
    for (const id of ids) {
      if (!opts.scenarios.includes(id)) continue;
      opts.scenarios.splice(opts.scenarios.indexOf(id), 1);
      notes.push(`scenario ${id} skipped: ${why}`);
      say(`scenario ${id} SKIPPED: ${why}`);
    }
  };
  let h2load = null;
  if (opts.scenarios.includes('h2-small')) {
    const found = ensureTool('h2load', 'nghttp2-client', opts.install, say);
    if ('skip' in found) {
      dropScenarios(['h2-small'], found.skip);
    } else {
      h2load = found.path;
      tools.h2load = versionOf(h2load, ['--version']);
    }
  }
  /** @type {import('./lib/targets').TlsContext|null} */
  let tls = null;
  if (opts.scenarios.some((id) => usesTls(SCENARIOS[id]))) {
    const made = makeBenchCerts(dir);
    if ('skip' in made) {
      dropScenarios(opts.scenarios.filter((id) => usesTls(SCENARIOS[id])), made.skip);
    } else {
      tls = { certs: made.certs, http2On: nginxVersion !== null && nginxHasHttp2Directive(nginxVersion) };
    }
  }
  if (opts.scenarios.length === 0) {
    for (const t of opts.targets) fail(t, 'skipped', 'no scenario left to run');
    return finish(opts, dir, state, [], notes, tools);
  }
  const caPem = tls === null ? '' : fs.readFileSync(tls.certs.ca, 'utf8');
  if (state['weir-mirror-hole']) {
    blackHole = await traffic.startBlackHole();
    say(`black hole (accepts, never answers) on 127.0.0.1:${blackHole.port}`);
  }

  const [upPort, sinkPort, nginxPort, weirPort, hpPort, basePort, rolloutPort, rolloutAdminPort, pluginsPort, routesPort] = await freePorts(10);
  const [upTls, nginxTls, weirTls, baseTls, rolloutTls, pluginsTls] = tls === null ? [] : await freePorts(6);
  const [splitPort, splitAdmin, mirrorPort, mirrorAdmin, holePort, holeAdmin, plainSplitPort, plainSplitAdmin] = opts.traffic ? await freePorts(8) : [];
  const tracingTargets = opts.targets.filter((t) => tracing.TRACING_TARGETS.includes(t));
  const tracingPorts = tracingTargets.length > 0 ? await freePorts(tracingTargets.length * 2 + 1) : [];
  /** @type {import('./lib/tracing-bench').Collector|null} the fallback OTLP sink (node:http upstream) */
  let collector = null;
  const [nginxCachePort, weirCachePort, weirCacheAdmin] = opts.targets.some((t) => cache.CACHE_TARGETS.includes(t)) ? await freePorts(3) : [];
  const ctx = { registry, dir, workers: opts.workers, nginx, regexRoutes: opts.regexRoutes, tls };
  say(`starting upstream (${nginx !== null ? 'nginx' : 'node:http cluster'}, ${opts.workers} workers) on 127.0.0.1:${upPort}`);
  let upstream;
  try {
    upstream = await targets.startUpstream(ctx, upPort, sinkPort, upTls);
  } catch (err) {
    if (registry.closed) return null;
    for (const t of opts.targets) fail(t, 'failed', `upstream did not start: ${err.message}`);
    return finish(opts, dir, state, [], notes, tools);
  }
  tools.upstream = upstream.kind;
  if (upstream.kind === 'node') notes.push('Upstream: node:http cluster (fallback); numbers are not comparable with nginx-upstream runs.');

  const starters = {
    direct: async () => ({ port: upstream.port, tlsPort: upstream.tlsPort ?? null, proc: upstream.proc }),
    nginx: () => targets.startNginxProxy(ctx, nginxPort, upstream.port, nginxTls),
    // The cached scenario's caching targets (plain HTTP only).
    'nginx-cache': () => targets.startNginxCacheProxy(ctx, nginxCachePort, upstream.port),
    'weir-cache': () => targets.startWeir(ctx, weirCachePort, upstream.port, { cache: { adminPort: weirCacheAdmin } }),
    weir: () => targets.startWeir(ctx, weirPort, upstream.port, { tlsPort: weirTls }),
    'http-proxy': () => targets.startHttpProxy(ctx, hpPort, upstream.port),
    'weir-baseline': () => targets.startWeir(ctx, basePort, upstream.port, { baselineRepo: /** @type {string} */ (opts.baseline), nodeArgs: opts.baselineNodeArgs, tlsPort: baseTls }),
    'weir-routes': () => targets.startWeir(ctx, routesPort, upstream.port, { routes: opts.routes }),
    'weir-rollout': () => targets.startWeir(ctx, rolloutPort, upstream.port, { rollout: { percent: /** @type {number} */ (opts.rollout), adminPort: rolloutAdminPort }, tlsPort: rolloutTls }),
    'weir-plugins': () => targets.startWeir(ctx, pluginsPort, upstream.port, { plugins: /** @type {NonNullable<typeof chain>} */ (chain), tlsPort: pluginsTls }),
    // No TLS listener: the traffic variants only run the small-GET scenario.
    'weir-split': () => targets.startWeir(ctx, splitPort, upstream.port, { traffic: { target: 'weir-split', adminPort: splitAdmin, holeAddress: null } }),
    'weir-split-plain': () =>
      targets.startWeir(ctx, plainSplitPort, upstream.port, { traffic: { target: 'weir-split-plain', adminPort: plainSplitAdmin, holeAddress: null } }),
    'weir-mirror': () => targets.startWeir(ctx, mirrorPort, upstream.port, { traffic: { target: 'weir-mirror', adminPort: mirrorAdmin, holeAddress: null } }),
    'weir-mirror-hole': () => targets.startWeir(ctx, holePort, upstream.port, {
      traffic: { target: 'weir-mirror-hole', adminPort: holeAdmin, holeAddress: `127.0.0.1:${/** @type {NonNullable<typeof blackHole>} */ (blackHole).port}` },
    }),
  };
  // --tracing: the collector is the upstream nginx (/v1/traces, lib/nginx-config.js), as cheap
  // as an OTLP endpoint gets, so the figures are Weir's cost and not a collector's; with the
  // node:http fallback upstream, a sink in this process.
  let collectorPort = upstream.port;
  if (tracingTargets.length > 0 && upstream.kind !== 'nginx') {
    collector = await tracing.startCollector();
    collectorPort = collector.port;
  }
  if (tracingTargets.length > 0) say(`OTLP collector on 127.0.0.1:${collectorPort}; dead collector port ${tracingPorts[0]}`);
  tracingTargets.forEach((t, i) => {
    starters[t] = () => targets.startWeir(ctx, tracingPorts[1 + 2 * i], upstream.port, {
      tracing: { target: t, adminPort: tracingPorts[2 + 2 * i], section: tracing.tracingSection(t, collectorPort, tracingPorts[0]) },
    });
  });
  /** @type {Record<string, { port: number, token: string }>} the traffic targets' and weir-cache's admin APIs */
  const admins = {};
  // http-proxy has no TLS listener, nor has the node:http fallback upstream (`direct`).
  const tlsCapable = (t) => t !== 'http-proxy' && !(t === 'direct' && upstream.kind !== 'nginx');
  // The traffic variants are measured on small GETs only (issue 19's figures); the cached
  // scenario on direct, nginx, nginx-cache, weir and weir-cache only, and the two caching
  // targets on nothing else (issue 10's figures).
  const supports = (id, t) => {
    if (id === 'cached') return cache.CACHED_SCENARIO_TARGETS.includes(t);
    if (cache.CACHE_TARGETS.includes(t)) return false;
    return traffic.TRAFFIC_TARGETS.includes(t) || tracing.TRACING_TARGETS.includes(t) ? id === 'small' : !usesTls(SCENARIOS[id]) || tlsCapable(t);
  };
  // A target with nothing to measure (http-proxy in a TLS-only run) leaves the run with a note:
  // nothing failed, so it does not make the exit status 1.
  for (const t of opts.targets.slice()) {
    if (state[t].status === 'ok' && !opts.scenarios.some((id) => supports(id, t))) {
      opts.targets.splice(opts.targets.indexOf(t), 1);
      const why = traffic.TRAFFIC_TARGETS.includes(t) || tracing.TRACING_TARGETS.includes(t) ? 'it runs only the small scenario, which was not asked for'
        : cache.CACHE_TARGETS.includes(t) ? 'it runs only the cached scenario, which was not asked for (--scenarios cached)'
          : opts.scenarios.includes('cached') ? 'it has no row in the scenarios asked for (cached runs on direct, nginx, nginx-cache, weir and weir-cache only; TLS scenarios need a TLS listener)'
            : 'it has no TLS listener and only TLS scenarios were asked for';
      notes.push(`${t} left out: ${why}.`);
      say(`${t}: left out (${why})`);
    }
  }
  /** Starts target `t` (again, after a restart) and records its ports, process and admin API. */
  const launch = async (t) => {
    const running = await starters[t]();
    state[t].port = running.port;
    state[t].tlsPort = running.tlsPort ?? null;
    state[t].proc = running.proc;
    if (running.admin !== undefined) admins[t] = running.admin;
  };
  for (const t of opts.targets) {
    if (registry.closed) return null;
    if (state[t].status !== 'ok') continue;
    say(`starting ${t}`);
    try {
      await launch(t);
    } catch (err) {
      if (registry.closed) return null;
      fail(t, 'failed', `did not start: ${err.message}`);
    }
  }

  // Every target must answer every scenario right before it is measured: a fast wrong answer
  // (404, truncated body) would otherwise look like a great result.
  const postBody = Buffer.alloc(POST_SIZE, 'x');
  for (const t of opts.targets) {
    const st = state[t];
    if (st.status !== 'ok') continue;
    for (const id of opts.scenarios) {
      const sc = SCENARIOS[id];
      if (!supports(id, t)) continue;
      try {
        const res = usesTls(sc)
          ? await probeTls(/** @type {number} */ (st.tlsPort), sc.path, caPem, sc.transport === 'h2', 5000, requestHeaders)
          : await probe(/** @type {number} */ (st.port), sc.method, sc.path, sc.requestBytes > 0 ? postBody : null, 5000, requestHeaders);
        const wrong = sc.check(res.status, res.body);
        if (wrong !== null) throw new Error(wrong);
        if (t === 'weir-plugins' && !usesTls(sc)) {
          // The chain must really run: a route whose plugins did nothing would measure nothing.
          const { authorization: _token, ...withoutToken } = requestHeaders;
          const refused = await probe(/** @type {number} */ (st.port), sc.method, sc.path, sc.requestBytes > 0 ? postBody : null, 5000, withoutToken);
          const notApplied = checkPluginAnswers(/** @type {{ status: number, headers: import('node:http').IncomingHttpHeaders }} */ (res), refused);
          if (notApplied !== null) throw new Error(notApplied);
        }
        if (traffic.TRAFFIC_TARGETS.includes(t)) await traffic.probeTraffic(t, /** @type {number} */ (st.port), sc, admins[t], requestHeaders, blackHole);
        // The caching targets must really answer from their caches, or they would measure a proxy.
        if (cache.CACHE_TARGETS.includes(t) && id === 'cached') {
          await cache.probeCacheHit(/** @type {'weir-cache'|'nginx-cache'} */ (t), /** @type {number} */ (st.port), sc.path, sc.check, requestHeaders);
        }
      } catch (err) {
        fail(t, 'failed', `probe ${sc.method} ${sc.path}: ${err.message}`);
        break;
      }
    }
  }

  // --traffic: every Weir daemon's RSS (primary + workers, /proc) before and after the load, and
  // the traffic targets' counters after it, so memory growth and dropped copies show.
  /** @type {string[]} */
  const trafficLines = [];
  // Every server's idle RSS: started and probed, before any load (issue 13).
  for (const t of opts.targets) if (state[t].status === 'ok' && state[t].proc !== null) state[t].idleRss = treeRss(/** @type {NonNullable<TargetState['proc']>} */ (state[t].proc).pid);
  const weirTargets = opts.traffic || opts.tracing ? opts.targets.filter((t) => t.startsWith('weir') && state[t].status === 'ok' && state[t].proc !== null) : [];

  /** @type {import('./lib/report').Cell[]} */
  const cells = [];
  const plan = opts.rounds * opts.scenarios.reduce((n, id) => n + opts.targets.filter((t) => state[t].status === 'ok' && supports(id, t)).length, 0);
  say(`measuring ${plan} cells of ${opts.duration} s (+${opts.warmup} s warm-up per target and scenario), ` +
    `${opts.connections} connections, ${opts.threads} wrk thread(s)`);
  for (const id of opts.scenarios) {
    const sc = SCENARIOS[id];
    for (let round = 0; round < opts.rounds; round++) {
      // --restart-every: fresh Weir daemons for the next block of rounds, so one instance's luck
      // (its JIT, its workers' share of connections) weighs on a few rounds, not on the run.
      const fresh = round > 0 && opts.restartEvery > 0 && round % opts.restartEvery === 0;
      for (const t of fresh ? opts.targets.filter((x) => x.startsWith('weir') && state[x].status === 'ok' && supports(id, x)) : []) {
        say(`restarting ${t} before round ${round + 1}`);
        await /** @type {NonNullable<TargetState['proc']>} */ (state[t].proc).stop(10_000);
        await launch(t).catch((err) => fail(t, 'failed', `did not restart: ${err.message}`));
        if (registry.closed) return null;
      }
      const order = rotate(opts.targets, round);
      for (const t of order) {
        if (registry.closed) return null;
        const st = state[t];
        if (st.status !== 'ok' || !supports(id, t)) continue;
        const port = /** @type {number} */ (usesTls(sc) ? st.tlsPort : st.port);
        const common = { registry, wrk: wrk.path, h2load, dir, scenario: sc, port, connections: opts.connections, threads: opts.threads, headers: requestHeaders, rotation };
        const run = sc.transport === 'h2' ? runH2load : runWrk;
        try {
          if ((round === 0 || (fresh && t.startsWith('weir'))) && opts.warmup > 0) await run({ ...common, seconds: opts.warmup, label: `${id}-${t}-warmup-r${round + 1}` });
          const cpuBefore = st.proc === null ? null : treeCpuSeconds(st.proc.pid);
          const rss = st.proc === null ? null : sampleRssPeak(st.proc.pid);
          const result = await run({ ...common, seconds: opts.duration, label: `${id}-${t}-r${round + 1}` });
          const cpuAfter = st.proc === null ? null : treeCpuSeconds(st.proc.pid);
          const peak = rss === null ? null : rss.stop();
          result.peakRssKiB = peak === null ? null : peak.totalKiB;
          result.peakPssKiB = peak === null ? null : peak.pssKiB;
          // The proxy's own CPU per request (its process tree; not the client's, not the upstream's).
          result.cpuUsPerRequest = cpuBefore !== null && cpuAfter !== null && result.requests > 0 ? ((cpuAfter - cpuBefore) * 1e6) / result.requests : null;
          cells.push({ scenario: id, target: t, round: round + 1, result, failure: null, load1: os.loadavg()[0] });
          const flag = result.errorTotal > 0 ? `  ERRORS ${JSON.stringify(result.errors)}` : '';
          const cpu = result.cpuUsPerRequest === null ? '' : `  CPU ${result.cpuUsPerRequest.toFixed(1)} us/req`;
          say(`${id.padEnd(13)} r${round + 1} ${t.padEnd(10)} ${Math.round(result.rps).toString().padStart(7)} req/s  p99 ${(result.p99Us / 1000).toFixed(2)} ms${cpu}${flag}`);
        } catch (err) {
          if (registry.closed) return null;
          cells.push({ scenario: id, target: t, round: round + 1, result: null, failure: err.message, load1: os.loadavg()[0] });
          say(`${id} r${round + 1} ${t}: wrk failed: ${err.message}`);
        }
        if (st.proc !== null && !st.proc.alive && st.status === 'ok') {
          fail(t, 'failed', `${st.proc.name} ${st.proc.describeExit()} during the run\n${st.proc.tail()}`);
        }
      }
    }
  }
  if (opts.traffic || opts.tracing) {
    for (const t of weirTargets) {
      const st = state[t];
      const proc = /** @type {NonNullable<TargetState['proc']>} */ (st.proc);
      const after = proc.alive ? treeRss(proc.pid) : null;
      trafficLines.push(`RSS ${t}: before the load ${describeRss(state[t].idleRss ?? null)}; after ${proc.alive ? describeRss(after) : `n/a (${proc.describeExit()})`}.`);
    }
    for (const t of traffic.TRAFFIC_TARGETS) {
      if (admins[t] === undefined || state[t].status !== 'ok') continue;
      try {
        const c = await traffic.trafficCounters(admins[t].port, admins[t].token);
        if (t === 'weir-split-plain') continue;
        trafficLines.push(t === 'weir-split'
          ? `${t} counters (whole run, probes and warm-up included): weir_traffic_overrides_total ${c.overrides}.`
          : `${t} counters (whole run, probes and warm-up included): weir_mirror_requests_total ok ${c.mirror.ok}, error ${c.mirror.error}, dropped ${c.mirror.dropped}, skipped ${c.mirror.skipped}.`);
      } catch (err) {
        trafficLines.push(`${t} counters: not read (${err.message}).`);
      }
    }
    for (const t of tracingTargets) {
      if (admins[t] === undefined || state[t].status !== 'ok') continue;
      try {
        const c = await tracing.tracingCounters(admins[t].port, admins[t].token);
        trafficLines.push(`${t} spans (whole run, probes and warm-up included): exported ${c.exported}, dropped ${JSON.stringify(c.dropped)}, queued now ${c.queued}.`);
      } catch (err) {
        trafficLines.push(`${t} spans: not read (${err.message}).`);
      }
    }
    if (collector !== null) trafficLines.push(`OTLP sink: ${collector.stats.requests} export requests, ${collector.stats.bytes} bytes.`);
    if (blackHole !== null) {
      const b = blackHole.stats;
      trafficLines.push(`black hole: ${b.accepted} connections accepted (at most ${b.peakOpen} open at once, ${b.open} still open), ` +
        `${b.mirrorRequests} copies received, ${b.bytes} bytes; it never answered.`);
    }
  }
  // weir-cache: its cache counters over the whole run (probes and warm-up included), so the
  // table's hits are seen to be hits.
  /** @type {string[]} */
  const cacheLines = [];
  if (admins['weir-cache'] !== undefined && state['weir-cache'].status === 'ok') {
    try {
      const c = await cache.cacheCounters(admins['weir-cache'].port, admins['weir-cache'].token, 'all');
      cacheLines.push(`weir-cache counters (whole run, probes and warm-up included, summed over ${opts.workers} workers): ` +
        `weir_cache_requests_total ${cache.describeResults(c.results)}; weir_cache_stored_bytes ${c.storedBytes}.`);
    } catch (err) {
      cacheLines.push(`weir-cache counters: not read (${err.message}).`);
    }
  }
  return finish(opts, dir, state, cells, notes, tools, supports, trafficLines, cacheLines);
}

/** `list` rotated left by `n`: round r starts with a different target. */
function rotate(list, n) {
  const k = n % list.length;
  return list.slice(k).concat(list.slice(0, k));
}

/** Prints tables and notes, writes the JSON, returns the exit status. */
function finish(opts, dir, state, cells, notes, tools, supports = () => true, trafficLines = [], cacheLines = []) {
  const summaries = summarize(cells, opts.scenarios, opts.targets, supports);
  const out = reportLines({ opts, state, cells, summaries, notes, tools, trafficLines, cacheLines, startLoad: START_LOAD });
  process.stdout.write(`${out.join('\n').trimEnd()}\n`);

  const jsonPath = opts.out ?? path.join(os.tmpdir(), `weir-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const json = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, loadBefore: START_LOAD, loadavg: os.loadavg(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    tools,
    options: { ...opts },
    targets: Object.fromEntries(opts.targets.map((t) => [t, { status: state[t].status, reason: state[t].reason }])),
    summaries,
    cells,
    notes,
    traffic: trafficLines,
    cache: cacheLines,
  };
  fs.writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`\nJSON results: ${jsonPath}\n`);
  if (opts.keepLogs) process.stdout.write(`Configs and logs kept in ${dir}\n`);

  const couldNotRun = opts.targets.filter((t) => state[t].status !== 'ok' || !summaries.some((s) => s.target === t && s.rps !== null));
  // A target without a row in any scenario asked for (http-proxy in a TLS-only run) was skipped, not failed.
  return couldNotRun.length > 0 ? 1 : 0;
}

function start() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const registry = new ProcessRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-bench-'));
  // nginx workers run as an unprivileged user when the master is root: they must read the dir.
  fs.chmodSync(dir, 0o755);
  const cleanup = async () => {
    await registry.stopAll();
    if (blackHole !== null) blackHole.close();
    if (!opts.keepLogs) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', () => registry.killAllSync());
  let interrupted = 0;
  const onSignal = (sig, code) => {
    interrupted++;
    if (interrupted > 1) {
      registry.killAllSync();
      process.exit(code);
    }
    say(`${sig}: stopping every process the bench started`);
    cleanup().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));

  main(opts, registry, dir).then(
    async (code) => {
      if (code === null) return;
      await cleanup();
      process.exitCode = code;
      if (code !== 0) say('at least one target could not run (see above): exit 1');
    },
    async (err) => {
      say(`failed: ${err && err.stack ? err.stack : err}`);
      await cleanup();
      process.exitCode = 1;
    },
  );
}

start();
