'use strict';

/**
 * Turns cell results into the Markdown tables the bench prints. With several rounds each
 * figure is the median over rounds (errors are summed), which resists one noisy round better
 * than a mean.
 */

/**
 * @typedef {object} Cell
 * @property {string} scenario
 * @property {string} target
 * @property {number} round
 * @property {import('./wrk-runner').WrkResult|null} result   null when the cell failed
 * @property {string|null} failure
 * @property {number} load1    1-minute load average right after the cell
 */

/**
 * @typedef {object} Summary
 * @property {string} scenario
 * @property {string} target
 * @property {number} rounds       cells that produced a result
 * @property {number|null} rps     median requests/s
 * @property {number|null} p50Us   median of per-round p50
 * @property {number|null} p99Us   median of per-round p99
 * @property {number|null} cpuUs   median CPU of the target's processes per request, µs
 * @property {number|null} peakRssKiB  largest RSS of the target's process tree seen in any round
 * @property {number|null} peakPssKiB  the tree's PSS at those peaks, largest over rounds
 * @property {number} errors       total errors over rounds (non-2xx/3xx + socket errors)
 * @property {number|null} ratio   rps / nginx's rps in the same scenario
 * @property {string[]} failures   why cells failed
 */

function median(values) {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * @param {Cell[]} cells
 * @param {string[]} scenarios
 * @param {string[]} targets
 * @param {(scenario: string, target: string) => boolean} [supports]  targets without a row
 *   in a scenario (http-proxy has no TLS listener); default: every target has one
 * @returns {Summary[]}
 */
function summarize(cells, scenarios, targets, supports = () => true) {
  /** @type {Summary[]} */
  const out = [];
  for (const scenario of scenarios) {
    const rows = targets.filter((target) => supports(scenario, target)).map((target) => {
      const mine = cells.filter((c) => c.scenario === scenario && c.target === target);
      const ok = mine.filter((c) => c.result !== null).map((c) => /** @type {import('./wrk-runner').WrkResult} */ (c.result));
      return {
        scenario,
        target,
        rounds: ok.length,
        rps: median(ok.map((r) => r.rps)),
        p50Us: median(ok.map((r) => r.p50Us)),
        p99Us: median(ok.map((r) => r.p99Us)),
        cpuUs: median(ok.map((r) => r.cpuUsPerRequest).filter((v) => typeof v === 'number')),
        peakRssKiB: maxOf(ok.map((r) => r.peakRssKiB).filter((v) => typeof v === 'number')),
        peakPssKiB: maxOf(ok.map((r) => r.peakPssKiB).filter((v) => typeof v === 'number')),
        errors: ok.reduce((n, r) => n + r.errorTotal, 0),
        ratio: null,
        failures: mine.filter((c) => c.failure !== null).map((c) => /** @type {string} */ (c.failure)),
      };
    });
    const base = rows.find((r) => r.target === 'nginx');
    for (const r of rows) {
      r.ratio = base !== undefined && base.rps !== null && base.rps > 0 && r.rps !== null ? r.rps / base.rps : null;
    }
    out.push(...rows);
  }
  return out;
}

/** The largest value, or null for none. */
function maxOf(values) {
  return values.length === 0 ? null : Math.max(...values);
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (us) => (us === null ? '-' : `${(us / 1000).toFixed(2)} ms`);

/**
 * Markdown table for one scenario.
 * @param {string} title
 * @param {Summary[]} rows
 * @returns {string}
 */
function table(title, rows) {
  const lines = [
    `### ${title}`,
    '',
    '| target | req/s | p50 | p99 | CPU µs/req | peak RSS (PSS) | errors | × nginx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.rps === null) {
      lines.push(`| ${r.target} | FAILED | - | - | - | - | - | - |`);
      continue;
    }
    const errors = r.errors > 0 ? `**${fmtInt(r.errors)} ⚠**` : '0';
    const ratio = r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}×`;
    const cpu = r.cpuUs === null || r.cpuUs === undefined ? '-' : r.cpuUs.toFixed(1);
    const pss = r.peakPssKiB === null || r.peakPssKiB === undefined ? '' : ` (${Math.round(r.peakPssKiB / 1024)})`;
    const rss = r.peakRssKiB === null || r.peakRssKiB === undefined ? '-' : `${Math.round(r.peakRssKiB / 1024)}${pss} MiB`;
    lines.push(`| ${r.target} | ${fmtInt(r.rps)} | ${fmtMs(r.p50Us)} | ${fmtMs(r.p99Us)} | ${cpu} | ${rss} | ${errors} | ${ratio} |`);
  }
  return lines.join('\n');
}

/**
 * The issue-2 bar: Weir's small-GET and 64 KiB throughput at least http-proxy's, no Weir errors.
 * Returns a one-line verdict, or null when either target was not measured.
 * @param {Summary[]} summaries
 */
function barVerdict(summaries) {
  const parts = [];
  let pass = true;
  for (const scenario of ['small', '64k']) {
    const w = summaries.find((s) => s.scenario === scenario && s.target === 'weir');
    const h = summaries.find((s) => s.scenario === scenario && s.target === 'http-proxy');
    if (w === undefined || h === undefined || w.rps === null || h.rps === null) return null;
    const ok = w.rps >= h.rps && w.errors === 0;
    pass = pass && ok;
    parts.push(`${scenario}: weir ${fmtInt(w.rps)} vs http-proxy ${fmtInt(h.rps)} req/s, ${w.errors} errors`);
  }
  return `Bar (weir >= http-proxy on small and 64k, no errors): ${pass ? 'PASS' : 'FAIL'} (${parts.join('; ')})`;
}

/**
 * One line comparing a Weir variant with `weir` in the same scenario and run (same upstream,
 * same load): req/s ratio and the p50/p99 differences. Null when either was not measured.
 * @param {Summary[]} rows  one scenario's summaries
 * @param {string} variant  e.g. "weir-plugins"
 * @param {string} base     e.g. "weir"
 * @returns {string|null}
 */
function variantLine(rows, variant, base, cells = [], restartEvery = 0) {
  const v = rows.find((r) => r.target === variant);
  const b = rows.find((r) => r.target === base);
  if (v === undefined || b === undefined || v.rps === null || b.rps === null || b.rps <= 0) return null;
  const diff = (a, z) => (a === null || z === null ? '-' : `${a - z >= 0 ? '+' : ''}${((a - z) / 1000).toFixed(2)} ms`);
  const pairs = pairedRatios(cells, v.scenario, variant, base);
  const paired = pairs === null ? '' : ` Same-round pairs (${pairs.n}): median ${pairs.rps.toFixed(3)}× req/s, ${pairs.cpu === null ? '-' : pairs.cpu.toFixed(3)}× CPU/req.`;
  const spread = instanceInterval(cells, v.scenario, variant, base, restartEvery);
  const interval = spread === null ? '' : ` Over ${spread.n} daemon instances (restarted every ${restartEvery} rounds): ` +
    `${spread.rps.toFixed(3)}× req/s, 95% interval ${spread.low.toFixed(3)}-${spread.high.toFixed(3)}.`;
  return `${variant} / ${base}: ${(v.rps / b.rps).toFixed(2)}× req/s (${fmtInt(v.rps)} vs ${fmtInt(b.rps)}), ` +
    `p50 ${diff(v.p50Us, b.p50Us)}, p99 ${diff(v.p99Us, b.p99Us)}.${paired}${interval}`;
}

/** Two-sided 95% Student t quantiles by degrees of freedom (1..30); 1.96 beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * The req/s ratio `variant / base` with a 95% confidence interval over daemon instances: with
 * `--restart-every R` each block of R rounds ran on fresh daemons, and two daemons of one build
 * differ by several percent for their whole life (JIT decisions, their workers' share of the
 * listening socket), so a block, not a round, is the independent sample. Per block: the mean of
 * the log ratios of its same-round pairs; then the mean over blocks with Student's t. Returned
 * as ratios (geometric mean, interval bounds). Null without restarts or with fewer than 3 blocks.
 * @param {Cell[]} cells
 * @returns {{ n: number, rps: number, low: number, high: number }|null}
 */
function instanceInterval(cells, scenario, variant, base, restartEvery) {
  if (!(restartEvery > 0)) return null;
  const rounds = roundPairs(cells, scenario, variant, base);
  /** @type {Map<number, number[]>} block -> log ratios */
  const blocks = new Map();
  for (const [round, { v, b }] of rounds) {
    if (v === undefined || b === undefined || !(b.rps > 0) || !(v.rps > 0)) continue;
    const block = Math.floor((round - 1) / restartEvery);
    const logs = blocks.get(block) ?? [];
    logs.push(Math.log(v.rps / b.rps));
    blocks.set(block, logs);
  }
  const means = [...blocks.values()].map((logs) => logs.reduce((s, x) => s + x, 0) / logs.length);
  const n = means.length;
  if (n < 3) return null;
  const mean = means.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(means.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * sd / Math.sqrt(n);
  return { n, rps: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half) };
}

/**
 * The results of `variant` (v) and `base` (b) in one scenario, by round (either may be missing
 * when its cell failed).
 * @param {Cell[]} cells
 * @returns {Map<number, { v?: object, b?: object }>}
 */
function roundPairs(cells, scenario, variant, base) {
  const rounds = new Map();
  for (const c of cells) {
    if (c.scenario !== scenario || c.result === null || (c.target !== variant && c.target !== base)) continue;
    const pair = rounds.get(c.round) ?? {};
    pair[c.target === variant ? 'v' : 'b'] = c.result;
    rounds.set(c.round, pair);
  }
  return rounds;
}

/**
 * Medians of the per-round ratios `variant / base` (req/s and CPU per request) in one scenario:
 * both cells of a pair ran in the same round, seconds apart, so a slow spell of the host (a
 * shared VM's neighbours can take 30% for tens of seconds) weighs on both sides of a ratio
 * instead of on one target's median. Null with fewer than 2 pairs.
 * @param {Cell[]} cells
 * @returns {{ n: number, rps: number, cpu: number|null }|null}
 */
function pairedRatios(cells, scenario, variant, base) {
  const rounds = roundPairs(cells, scenario, variant, base);
  const rps = [];
  const cpu = [];
  for (const { v, b } of rounds.values()) {
    if (v === undefined || b === undefined || !(b.rps > 0)) continue;
    rps.push(v.rps / b.rps);
    if (typeof v.cpuUsPerRequest === 'number' && typeof b.cpuUsPerRequest === 'number' && b.cpuUsPerRequest > 0) cpu.push(v.cpuUsPerRequest / b.cpuUsPerRequest);
  }
  if (rps.length < 2) return null;
  return { n: rps.length, rps: /** @type {number} */ (median(rps)), cpu: median(cpu) };
}

module.exports = { summarize, table, barVerdict, variantLine, pairedRatios, instanceInterval, median };
