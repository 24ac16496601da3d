'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { h2Shape } = require('./scenarios');

/**
 * Runs h2load (nghttp2's HTTP/2 load generator) for one h2 cell and returns the same figures as
 * `runWrk`. h2load prints no latency percentiles, so it writes one line per request to a log
 * file (`--log-file`: start time, status, elapsed microseconds, tab-separated) and the
 * percentiles are computed from that; the counts come from its summary.
 */

/**
 * @param {object} o  as for `runWrk` (port: the target's TLS port)
 * @param {import('./process-registry').ProcessRegistry} o.registry
 * @param {string} o.h2load       h2load binary
 * @param {string} o.dir
 * @param {import('./scenarios').Scenario} o.scenario
 * @param {number} o.port
 * @param {number} o.seconds
 * @param {number} o.connections  in-flight requests; see `h2Shape`
 * @param {number} o.threads
 * @param {string} o.label
 * @param {Record<string, string>} [o.headers]  extra request headers (`-H`)
 * @returns {Promise<import('./wrk-runner').WrkResult>}
 */
async function runH2load(o) {
  const logPath = path.join(o.dir, `h2load-${o.label}.log`);
  const requestLog = path.join(o.dir, `h2load-${o.label}.requests`);
  const { clients, streams } = h2Shape(o.connections);
  const args = [
    '-c', String(clients), '-m', String(streams), '-t', String(Math.min(o.threads, clients)),
    '-D', String(o.seconds), '--log-file', requestLog,
    ...Object.entries(o.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    `https://127.0.0.1:${o.port}${o.scenario.path}`,
  ];
  const proc = o.registry.spawn(`h2load ${o.label}`, o.h2load, args, { logPath, group: false });
  const watchdog = setTimeout(() => proc.killSync(), (o.seconds + 30) * 1000);
  try {
    await proc.exited;
  } finally {
    clearTimeout(watchdog);
  }
  const out = fs.readFileSync(logPath, 'utf8');
  const summary = parseSummary(out);
  if (proc.exit?.code !== 0 || summary === null) {
    throw new Error(`h2load ${proc.describeExit()}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (summary.done === 0) throw new Error(`h2load completed no request: ${out.trim().split('\n').slice(-4).join(' | ')}`);
  const latency = percentiles(requestLog);
  fs.rmSync(requestLog, { force: true });
  return {
    requests: summary.done,
    rps: summary.done / (summary.durationUs / 1e6),
    durationUs: summary.durationUs,
    bytes: summary.bytes,
    ...latency,
    // h2load's `failed` counts both HTTP-level failures (4xx/5xx) and `errored` requests
    // (stream or connection errors, timeouts included).
    errors: { connect: 0, read: summary.errored, write: 0, status: summary.status4xx5xx, timeout: summary.timeout },
    errorTotal: summary.failed,
  };
}

/**
 * The figures of h2load's summary, or null when it printed none.
 * @param {string} out
 */
function parseSummary(out) {
  const finished = /finished in ([\d.]+)(ms|s),/.exec(out);
  const requests = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  const statuses = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  const traffic = /traffic: \S+ \((\d+)\) total/.exec(out);
  if (finished === null || requests === null || statuses === null) return null;
  const value = Number(finished[1]);
  return {
    durationUs: finished[2] === 'ms' ? value * 1e3 : value * 1e6,
    done: Number(requests[3]),
    failed: Number(requests[5]),
    errored: Number(requests[6]),
    timeout: Number(requests[7]),
    status4xx5xx: Number(statuses[3]) + Number(statuses[4]),
    bytes: traffic === null ? 0 : Number(traffic[1]),
  };
}

/**
 * p50/p90/p99/mean/max of the elapsed times in an h2load request log (microseconds). Requests
 * that did not complete are logged with status -1 and left out, as wrk leaves out errors.
 * @param {string} file
 */
function percentiles(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const values = new Float64Array(lines.length);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].split('\t');
    if (fields.length < 3 || Number(fields[1]) < 0) continue;
    const us = Number(fields[2]);
    if (!Number.isFinite(us)) continue;
    values[n++] = us;
    sum += us;
  }
  const sorted = values.subarray(0, n).sort();
  const at = (p) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor((p / 100) * n))]);
  return { p50Us: at(50), p90Us: at(90), p99Us: at(99), meanUs: n === 0 ? 0 : sum / n, maxUs: n === 0 ? 0 : sorted[n - 1] };
}

module.exports = { runH2load, parseSummary };
