'use strict';

const fs = require('node:fs');
const { treePids } = require('./process-tree');

/**
 * Resident memory of a server's process tree (a proxy's primary and workers, nginx's master
 * and workers) from /proc (Linux): issue 13's "peak RSS of the primary and 2 workers together"
 * and its idle figure. RSS counts what the kernel holds for the processes: V8's heaps, buffers,
 * code, and memory freed by V8 or malloc but not yet given back. Summed over processes, RSS
 * counts pages they share (the node binary's text, about 45 MiB per Node process) once per
 * process; PSS (`/proc/PID/smaps_rollup`) divides each shared page among its sharers, so the
 * tree's PSS is what it really holds.
 */

/**
 * @typedef {object} TreeRss
 * @property {number} totalKiB
 * @property {number|null} pssKiB  the tree's PSS; null where smaps_rollup is unreadable
 * @property {{ pid: number, kiB: number, pssKiB: number|null }[]} perProcess  the root first, then its descendants
 */

/**
 * @param {number} pid  the tree's root (Weir's primary)
 * @returns {TreeRss|null} null when /proc is unreadable or the process is gone
 */
function treeRss(pid) {
  const perProcess = [];
  for (const p of treePids(pid)) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m !== null) perProcess.push({ pid: p, kiB: Number(m[1]), pssKiB: pssOf(p) });
    } catch {
      // gone meanwhile
    }
  }
  if (perProcess.length === 0) return null;
  const pss = perProcess.every((p) => p.pssKiB !== null) ? perProcess.reduce((n, p) => n + /** @type {number} */ (p.pssKiB), 0) : null;
  return { totalKiB: perProcess.reduce((n, p) => n + p.kiB, 0), pssKiB: pss, perProcess };
}

/** A process's PSS in KiB, or null (no smaps_rollup: kernels before 4.14, or gone). */
function pssOf(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/** How often a running cell samples its target's RSS. */
const SAMPLE_MS = 250;

/**
 * Samples a process tree's RSS every SAMPLE_MS while a measured cell runs (the bench process
 * only waits on wrk meanwhile) and keeps the largest total seen, with its per-process split.
 * @param {number} pid
 * @returns {{ stop(): TreeRss|null }} stop() samples once more and returns the peak
 */
function sampleRssPeak(pid) {
  /** @type {TreeRss|null} */
  let peak = null;
  const sample = () => {
    const now = treeRss(pid);
    if (now !== null && (peak === null || now.totalKiB > peak.totalKiB)) peak = now;
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const mib = (kiB) => `${(kiB / 1024).toFixed(1)} MiB`;

/** "RSS 216.3 MiB (primary 55.1 MiB, workers 80.2 / 81.0 MiB), PSS 140.2 MiB". */
function describeRss(rss) {
  if (rss === null) return 'n/a';
  const [primary, ...workers] = rss.perProcess;
  return `RSS ${mib(rss.totalKiB)} (primary ${mib(primary.kiB)}${workers.length > 0 ? `, workers ${workers.map((w) => (w.kiB / 1024).toFixed(1)).join(' / ')} MiB` : ''})` +
    `${rss.pssKiB === null ? '' : `, PSS ${mib(rss.pssKiB)}`}`;
}

/**
 * The "Idle RSS" lines of the report: each server's tree after it started and answered its
 * probes, before any load. A `direct` row is the upstream itself.
 * @param {{ target: string, rss: TreeRss|null }[]} rows
 * @returns {string[]}
 */
function idleRssLines(rows) {
  if (rows.length === 0) return [];
  return ['Idle RSS (started and probed, before any load; the whole process tree):', '', ...rows.map((r) => `- ${r.target}: ${describeRss(r.rss)}`)];
}

module.exports = { treeRss, sampleRssPeak, describeRss, idleRssLines, SAMPLE_MS };
