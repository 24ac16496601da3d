'use strict';

/**
 * Preloaded into a Weir daemon by `cache-memory.js --heap` (`node -r` this file; node:cluster
 * workers inherit the flag): each worker writes `process.memoryUsage()` to stderr once a second,
 * as `WEIR_HEAP {"pid":..,"t":..,"heapTotal":..,"heapUsed":..,"external":..,"arrayBuffers":..}`
 * (bytes; `t` in ms since the epoch). The daemon's log collects the lines; `readHeapSamples`
 * parses them back. The primary writes nothing. The timer is unref'd: it never keeps a worker up.
 */

const PREFIX = 'WEIR_HEAP ';

if (require.main !== module) {
  const cluster = require('node:cluster');
  if (cluster.isWorker) {
    setInterval(() => {
      const m = process.memoryUsage();
      process.stderr.write(`${PREFIX}${JSON.stringify({ pid: process.pid, t: Date.now(), heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
    }, 1000).unref();
  }
}

/**
 * The samples in a daemon log, in order.
 * @param {string} text
 * @returns {{ pid: number, t: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }[]}
 */
function readHeapSamples(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf(PREFIX);
    if (at === -1) continue;
    try {
      out.push(JSON.parse(line.slice(at + PREFIX.length)));
    } catch {
      // A line cut by the log's rotation or the process's end: skip it.
    }
  }
  return out;
}

/**
 * The workers' V8 heap and external memory just before a load and at its end (each worker's
 * last sample at or before that time, or its first one when it has none yet; summed over
 * workers), and the most heap committed during the load (the sum of each worker's latest sample,
 * after every sample in the window). Null without samples.
 * @param {ReturnType<typeof readHeapSamples>} samples  in time order
 * @param {number} loadStart  ms since the epoch
 * @param {number} loadEnd
 */
function heapSummary(samples, loadStart, loadEnd) {
  if (samples.length === 0) return null;
  const at = (time) => {
    const last = new Map();
    for (const s of samples) if (s.t <= time || !last.has(s.pid)) last.set(s.pid, s);
    const sum = { heapTotal: 0, heapUsed: 0, external: 0 };
    for (const s of last.values()) {
      sum.heapTotal += s.heapTotal;
      sum.heapUsed += s.heapUsed;
      sum.external += s.external;
    }
    return sum;
  };
  const latest = new Map();
  let peakHeapTotal = 0;
  for (const s of samples) {
    if (s.t < loadStart || s.t > loadEnd) continue;
    latest.set(s.pid, s.heapTotal);
    let sum = 0;
    for (const v of latest.values()) sum += v;
    if (sum > peakHeapTotal) peakHeapTotal = sum;
  }
  return { before: at(loadStart), end: at(loadEnd), peakHeapTotal };
}

module.exports = { readHeapSamples, heapSummary, SAMPLER_PATH: __filename };
