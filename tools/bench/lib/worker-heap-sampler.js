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

module.exports = { readHeapSamples, SAMPLER_PATH: __filename };
