'use strict';

/**
 * Command-line flags of the bench. Every flag has a default so `npm run bench` needs none.
 * Parsed by hand (node:util parseArgs would do, but its errors are less helpful for numbers).
 */

const TARGETS = ['direct', 'nginx', 'weir', 'http-proxy'];
/**
 * Names `--targets` also accepts, in table order: variants of `weir` that a flag adds. Naming
 * `weir-plugins` implies `--plugins` (it cannot run without the headers that flag sends), and
 * naming any of the `--traffic` ones implies `--traffic`.
 */
const { TRACING_TARGETS: TRACING_TARGET_NAMES } = require('./tracing-bench');
const { splitNodeArgs } = require('./node-args');
const TARGET_NAMES = ['direct', 'nginx', 'nginx-cache', 'weir', 'weir-cache', 'weir-plugins', 'weir-split', 'weir-split-plain', 'weir-mirror', 'weir-mirror-hole', ...TRACING_TARGET_NAMES, 'http-proxy'];
/** The targets `--traffic` adds (small-GET scenario only). */
const TRAFFIC_TARGET_NAMES = ['weir-split', 'weir-split-plain', 'weir-mirror', 'weir-mirror-hole'];
/**
 * The two caching targets of the `cached` scenario (issue 10), which run only that scenario.
 * Without --targets, asking for `cached` adds them.
 */
const { CACHE_TARGETS: CACHE_TARGET_NAMES } = require('./cache-bench');
const SCENARIOS = ['small', '64k', 'post', 'cached', 'tls-small', 'tls-handshake', 'h2-small'];
/** What runs without --scenarios: the plain-HTTP three, so the default run keeps its length. */
const DEFAULT_SCENARIOS = ['small', '64k', 'post'];

const HELP = `Usage: npm run bench -- [flags]      (or: node tools/bench/run.js [flags])

End-to-end throughput and latency of Weir against nginx, http-proxy and the upstream itself,
measured with wrk in one interleaved run on this machine.

Flags:
  --duration SECONDS     measured seconds per cell (target x scenario x round). Default 10.
  --warmup SECONDS       unmeasured load before each target's first cell of a scenario.
                         Default 2 (1 with --quick).
  --quick                shorthand for --duration 3 --warmup 1.
  --connections N        wrk connections (concurrent keep-alive clients). Default 50.
  --threads N            wrk threads, 1 or 2. Default 2.
  --rounds N             repeat every scenario N times, targets interleaved; the table shows the
                         median. Default 1.
  --targets LIST         comma-separated subset of ${TARGETS.join(',')} (and weir-plugins,
                         see --plugins; weir-split, weir-mirror, weir-mirror-hole, see
                         --traffic; nginx-cache, weir-cache, see the cached scenario).
                         Default: ${TARGETS.join(',')}, plus nginx-cache and weir-cache when
                         the cached scenario runs.
  --scenarios LIST       comma-separated subset of ${SCENARIOS.join(',')},
                         or "all". Default: ${DEFAULT_SCENARIOS.join(',')}. The TLS ones need the
                         openssl CLI (certificates are made per run); h2-small needs h2load
                         (Debian package nghttp2-client); http-proxy has no TLS listener.
                         cached (issue 10; only when asked for, or with "all"): GET /cached,
                         which the upstream answers with Cache-Control: public, max-age=3600;
                         measured on direct, nginx, nginx-cache (nginx with proxy_cache),
                         weir and weir-cache (a route with cache: {}) only.
  --workers N            worker processes of every server: Weir, both nginx, http-proxy and
                         the upstream. Default 2.
  --out FILE             where to write the JSON results. Default: a new file in the OS temp dir.
  --no-install           never run apt-get; skip what is missing instead.
  --keep-logs            keep the temp dir with configs and process logs (path is printed).
  --baseline DIR         also run the Weir built in another checkout DIR (e.g. an older commit:
                         git worktree add DIR <commit> && (cd DIR && npm ci && npx tsc -b)) as
                         target weir-baseline, interleaved with the others: before/after numbers
                         from one run.
  --baseline-node-args "FLAGS"
                         node flags for weir-baseline's daemon only (e.g. --baseline . with
                         "--max-semi-space-size=4": one build with and without a V8 setting,
                         in one run). Added after WEIR_BENCH_NODE_ARGS.
  --rollout PERCENT      also run target weir-rollout: this build with a staged rollout holding
                         PERCENT (0-100) of requests on a candidate config for the whole run,
                         so every worker serves two runtimes (issue 11's overhead figure).
  --routes N             also run target weir-routes: this build with N routes ahead of its
                         catch-all route, a mix of host (40%), path prefix (25%), exact path
                         (25%) and regex (10%) routes that the bench's requests never match
                         (issue 13's cost-in-route-count figure, against weir's one route).
  --restart-every N      stop and start every Weir target again before every Nth round (with a
                         warm-up), so the medians and same-round pairs span several daemon
                         instances: two daemons of one build can differ by several percent for
                         a whole run. Default 0 (one instance per target).
  --regex-routes N       put N regex routes that never match the bench paths ahead of Weir's
                         catch-all route (every Weir target), so every request pays for
                         matching them. Default 0.
  --plugins              also run target weir-plugins: this build with 5 plugins on its
                         catch-all route (requestHeaders, requestId, cors, ipFilter, jwt with an
                         inline RS256 key; issue 9's overhead figure). Every request to every
                         target then carries the run's JWT (Authorization) and an Origin header.
  --traffic              also run targets weir-split, weir-split-plain, weir-mirror and weir-mirror-hole (small-GET
                         scenario only): this build with a traffic plan on its catch-all route
                         (a sticky 90/10 split with an x-canary override; a 100% mirror to a
                         second name of the upstream; a 100% mirror to a loopback black hole that
                         never answers; issue 19's overhead figures). Every wrk request to every
                         target then carries x-user (100 keys in turn, every 10th with
                         x-canary: always). Naming one of them in --targets runs only those named.
  --tracing              also run targets weir-trace-off (tracing.propagation false),
                         weir-trace-prop (propagation only, as weir, but with the admin
                         listener every tracing variant has: the like-for-like figure),
                         weir-trace-1 (1% sampled, exported), weir-trace-100 (every request
                         sampled and exported) and weir-trace-down (every request sampled, the
                         collector down), small-GET scenario only, beside weir (propagation
                         only, the default); spans go to an OTLP/HTTP sink in the bench process
                         (issue 18's overhead figures; RSS and span counters printed after).
                         Naming one of them in --targets runs only those named.
  -h, --help             this text.

Exit status: 0 when every requested target ran; 1 when a target could not run at all (missing
tool, failed to start, failed its probe, or died); 2 on bad flags. Errors during load (non-2xx,
socket errors) are flagged in the tables and in the JSON but do not change the exit status.`;

/**
 * @typedef {object} BenchOptions
 * @property {number} duration      seconds per measured cell (default 10)
 * @property {number} warmup        warm-up seconds (default 2)
 * @property {number} connections   wrk connections (default 50)
 * @property {number} threads       wrk threads (default 2)
 * @property {number} rounds        repetitions (default 1)
 * @property {string[]} targets     targets to run (default all)
 * @property {string[]} scenarios   scenarios to run (default the plain-HTTP three)
 * @property {number} workers       worker processes per server (default 2)
 * @property {string|null} out      JSON results path (default null: temp file)
 * @property {boolean} install      whether apt-get may install wrk/nginx (default true)
 * @property {boolean} keepLogs     keep the temp dir (default false)
 * @property {number} regexRoutes   regex routes ahead of Weir's catch-all (default 0)
 * @property {number} routes        routes of the weir-routes target ahead of its catch-all, 0 for none (default)
 * @property {number} restartEvery  restart the Weir targets before every Nth round; 0 never (default)
 * @property {number|null} rollout  candidate share of the weir-rollout target, or null (default)
 * @property {boolean} plugins      run weir-plugins and send its headers to every target (default false)
 * @property {boolean} traffic      run the traffic-plan variants and send x-user to every target (default false)
 * @property {boolean} tracing      run the tracing variants (default false)
 * @property {boolean} help
 */

class UsageError extends Error {}

function positiveInt(flag, raw, max) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${flag} expects an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function subset(flag, raw, allowed) {
  const list = String(raw).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) throw new UsageError(`${flag} needs at least one of ${allowed.join(',')}`);
  for (let i = 0; i < list.length; i++) {
    if (!allowed.includes(list[i])) {
      throw new UsageError(`${flag}: unknown ${JSON.stringify(list[i])}; known: ${allowed.join(',')}`);
    }
  }
  // Keep the canonical order so tables always read the same way.
  return allowed.filter((a) => list.includes(a));
}

/**
 * Parses argv (without node and script). Throws UsageError on a bad flag.
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
function parseArgs(argv) {
  /** @type {BenchOptions} */
  const o = {
    duration: 10,
    warmup: 2,
    connections: 50,
    threads: 2,
    rounds: 1,
    targets: TARGETS.slice(),
    scenarios: DEFAULT_SCENARIOS.slice(),
    workers: 2,
    out: null,
    install: true,
    keepLogs: false,
    baseline: null,
    baselineNodeArgs: [],
    regexRoutes: 0,
    routes: 0,
    restartEvery: 0,
    rollout: null,
    plugins: false,
    traffic: false,
    tracing: false,
    help: false,
  };
  let quick = false;
  let targetsSet = false;
  let durationSet = false;
  let warmupSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      i++;
      if (i >= argv.length) throw new UsageError(`${flag} needs a value`);
      return argv[i];
    };
    switch (flag) {
      case '--duration': o.duration = positiveInt(flag, value(), 3600); durationSet = true; break;
      case '--warmup': {
        const v = value();
        o.warmup = v === '0' ? 0 : positiveInt(flag, v, 600);
        warmupSet = true;
        break;
      }
      case '--quick': quick = true; break;
      case '--connections': o.connections = positiveInt(flag, value(), 10000); break;
      case '--threads': o.threads = positiveInt(flag, value(), 2); break;
      case '--rounds': o.rounds = positiveInt(flag, value(), 100); break;
      case '--targets': o.targets = subset(flag, value(), TARGET_NAMES); targetsSet = true; break;
      case '--scenarios': {
        const v = value();
        o.scenarios = v === 'all' ? SCENARIOS.slice() : subset(flag, v, SCENARIOS);
        break;
      }
      case '--workers': o.workers = positiveInt(flag, value(), 64); break;
      case '--out': o.out = value(); break;
      case '--no-install': o.install = false; break;
      case '--keep-logs': o.keepLogs = true; break;
      case '--baseline': o.baseline = value(); break;
      case '--baseline-node-args': o.baselineNodeArgs = splitNodeArgs(value()); break;
      case '--rollout': {
        const v = Number(value());
        if (!Number.isFinite(v) || v < 0 || v > 100) throw new UsageError('--rollout takes a percentage from 0 to 100');
        o.rollout = v;
        break;
      }
      case '--restart-every': {
        const v = value();
        o.restartEvery = v === '0' ? 0 : positiveInt(flag, v, 1000);
        break;
      }
      case '--routes': {
        const v = value();
        o.routes = v === '0' ? 0 : positiveInt(flag, v, 200000);
        break;
      }
      case '--regex-routes': {
        const v = value();
        o.regexRoutes = v === '0' ? 0 : positiveInt(flag, v, 100000);
        break;
      }
      case '--plugins': o.plugins = true; break;
      case '--traffic': o.traffic = true; break;
      case '--tracing': o.tracing = true; break;
      case '-h': case '--help': o.help = true; break;
      default: throw new UsageError(`unknown flag ${JSON.stringify(a)} (see --help)`);
    }
  }
  if (quick) {
    if (!durationSet) o.duration = 3;
    if (!warmupSet) o.warmup = 1;
  }
  // The cached scenario without --targets: its two caching targets join the default ones.
  if (!targetsSet && o.scenarios.includes('cached')) {
    o.targets = TARGET_NAMES.filter((t) => o.targets.includes(t) || CACHE_TARGET_NAMES.includes(t));
  }
  if (o.targets.includes('weir-plugins')) o.plugins = true;
  if (o.targets.some((t) => TRAFFIC_TARGET_NAMES.includes(t))) o.traffic = true;
  if (o.targets.some((t) => TRACING_TARGET_NAMES.includes(t))) o.tracing = true;
  if (o.connections < o.threads) {
    throw new UsageError('--connections must be at least --threads');
  }
  if (o.baselineNodeArgs.length > 0 && o.baseline === null) {
    throw new UsageError('--baseline-node-args needs --baseline (e.g. --baseline . for this build)');
  }
  return o;
}

module.exports = { parseArgs, UsageError, HELP, TARGETS, TRAFFIC_TARGET_NAMES, TRACING_TARGET_NAMES, CACHE_TARGET_NAMES, SCENARIOS, DEFAULT_SCENARIOS };
