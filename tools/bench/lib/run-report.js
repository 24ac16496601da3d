'use strict';

const os = require('node:os');
const { SCENARIOS, h2Shape } = require('./scenarios');
const { table, barVerdict, variantLine } = require('./report');
const { idleRssLines } = require('./process-memory');
const traffic = require('./traffic-plans');

/**
 * The Markdown report of a `run.js` run: the header with the machine and the load, one table per
 * scenario with the variant lines below it (each Weir variant against `weir`, the tracing ones
 * against `weir-trace-off`, the cached scenario's goals), the flags' notes, every server's idle
 * RSS, the issue-2 bar, errors, targets that could not run, and the notes. `run.js` prints it
 * and writes the JSON.
 *
 * @param {object} r
 * @param {import('./args').BenchOptions} r.opts
 * @param {Record<string, { status: string, reason: string|null, idleRss?: import('./process-memory').TreeRss|null }>} r.state
 * @param {import('./report').Cell[]} r.cells
 * @param {import('./report').Summary[]} r.summaries
 * @param {string[]} r.notes  appended to (a busy machine)
 * @param {Record<string, string|null>} r.tools
 * @param {string[]} r.trafficLines
 * @param {string[]} r.cacheLines
 * @param {number} r.startLoad  1-minute load average before the run
 * @returns {string[]}
 */
function reportLines({ opts, state, cells, summaries, notes, tools, trafficLines, cacheLines, startLoad }) {
  const out = [];
  out.push('## Weir end-to-end benchmark', '');
  out.push(`${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average before the run ${startLoad.toFixed(2)}; ` +
    `Node ${process.version}; ${tools.wrk ?? 'no wrk'}; ${tools.nginx ?? 'no nginx'}.`);
  out.push(`${opts.workers} workers per server; upstream: ${tools.upstream ?? 'none'}; wrk ${opts.threads} thread(s), ` +
    `${opts.connections} connections, ${opts.duration} s per cell, ${opts.rounds} round(s)` +
    `${opts.rounds > 1 ? ' (medians)' : ''}. http-proxy runs under node:cluster with SCHED_NONE.`);
  if (opts.scenarios.includes('h2-small')) {
    const shape = h2Shape(opts.connections);
    out.push(`h2-small: ${tools.h2load ?? 'h2load'}, ${shape.clients} connections x ${shape.streams} streams.`);
  }
  out.push('');
  for (const id of opts.scenarios) {
    out.push(table(SCENARIOS[id].title, summaries.filter((s) => s.scenario === id)), '');
    for (const variant of ['weir-routes', 'weir-plugins', 'weir-rollout', 'weir-baseline', ...traffic.TRAFFIC_TARGETS]) {
      const line = variantLine(summaries.filter((s) => s.scenario === id), variant, 'weir', cells, opts.restartEvery);
      if (line !== null) out.push(line, '');
    }
    // Issue 18's goals are against tracing off: propagation (weir-trace-prop, and weir), 1% and
    // 100% sampling.
    for (const variant of ['weir', 'weir-trace-prop', 'weir-trace-1', 'weir-trace-100', 'weir-trace-down']) {
      const line = variantLine(summaries.filter((s) => s.scenario === id), variant, 'weir-trace-off', cells, opts.restartEvery);
      if (line !== null) out.push(line, '');
    }
    if (id === 'cached') out.push(...cacheReport(summaries.filter((s) => s.scenario === id), cacheLines));
  }
  if (opts.plugins) {
    out.push('With --plugins every request to every target carried `Authorization: Bearer <RS256 JWT>` and `Origin`; ' +
      'weir-plugins ran requestHeaders, requestId, cors, ipFilter and jwt on its route.', '');
  }
  if (opts.traffic) {
    out.push(`With --traffic every wrk request to every target carried \`x-user: user-1\` .. \`user-${traffic.ROTATION.count}\` in turn ` +
      `(every ${traffic.ROTATION.every}th also \`x-canary: always\`); weir-split: sticky 90/10 split on x-user with an x-canary override; weir-split-plain: the same 90/10 split without a plan; ` +
      `weir-mirror: 100% mirror to a second name of the upstream; weir-mirror-hole: 100% mirror to a black hole ` +
      `(requestMs ${traffic.HOLE_REQUEST_MS}, maxInFlight 100 per worker).`, '');
    if (trafficLines.length > 0) out.push(...trafficLines.map((l) => `- ${l}`), '');
  } else if (opts.tracing) {
    out.push('With --tracing: weir propagates trace context only (the default); weir-trace-off has tracing.propagation false; ' +
      'weir-trace-prop propagates only, like weir, with the admin listener the other tracing variants have (the like-for-like propagation figure); ' +
      'weir-trace-1 and weir-trace-100 sample 1% and 100% of requests and export their spans to the upstream nginx (/v1/traces); ' +
      'weir-trace-down samples 100% and exports to a port nothing listens on.', '');
    if (trafficLines.length > 0) out.push(...trafficLines.map((l) => `- ${l}`), '');
  }
  out.push(...idleRssLines(opts.targets.filter((t) => state[t].idleRss !== undefined).map((t) => ({ target: t, rss: state[t].idleRss ?? null }))), '');
  const verdict = barVerdict(summaries);
  if (verdict !== null) out.push(verdict, '');
  const withErrors = summaries.filter((s) => s.errors > 0);
  if (withErrors.length > 0) {
    out.push(`ERRORS during load: ${withErrors.map((s) => `${s.target}/${s.scenario}: ${s.errors}`).join(', ')} (details in the JSON).`, '');
  }
  for (const t of opts.targets) {
    if (state[t].status !== 'ok') out.push(`${t} ${state[t].status.toUpperCase()}: ${state[t].reason.split('\n')[0]}`);
  }
  // Other work on the machine takes CPU from the Node targets more than from nginx (they need
  // more CPU per request), so a busy machine skews the ratios, not only the absolute numbers.
  // The bench loads every CPU itself, so only the load from before it started tells.
  if (startLoad > os.cpus().length / 2) {
    notes.push(`the machine was already busy before the bench started (1-minute load average ${startLoad.toFixed(2)} ` +
      `on ${os.cpus().length} CPUs): numbers are noisy; rerun on a quiet machine or with --rounds 3.`);
  }
  for (const n of notes) out.push(`Note: ${n}`);
  return out;
}

/**
 * The cached scenario's lines below its table: weir-cache against weir (issue 10's goal: at
 * least 1.5×) and against nginx-cache (at least 0.5×), then weir-cache's counters.
 * @param {import('./lib/report').Summary[]} rows  the cached scenario's summaries
 * @param {string[]} cacheLines
 */
function cacheReport(rows, cacheLines) {
  const out = [];
  const goals = [];
  for (const [base, goal] of [['weir', 1.5], ['nginx-cache', 0.5]]) {
    const line = variantLine(rows, 'weir-cache', base);
    if (line === null) continue;
    out.push(line, '');
    const v = rows.find((r) => r.target === 'weir-cache');
    const b = rows.find((r) => r.target === base);
    const ratio = /** @type {number} */ (v?.rps) / /** @type {number} */ (b?.rps);
    goals.push(`weir-cache / ${base} >= ${goal}×: ${ratio >= goal ? 'PASS' : 'FAIL'} (${ratio.toFixed(2)}×)`);
  }
  if (goals.length > 0) out.push(`Goals (issue 10): ${goals.join('; ')}.`, '');
  if (cacheLines.length > 0) out.push(...cacheLines.map((l) => `- ${l}`), '');
  return out;
}

module.exports = { reportLines };
