'use strict';

const http = require('node:http');
const { adminRequest } = require('./admin-request');

/**
 * `--tracing` (issue 18): Weir variants that differ only in their `tracing` section, measured on
 * the small-GET scenario beside `weir` (whose default is propagation only):
 *
 * - weir-trace-off:  `propagation: false` (no ids, headers untouched);
 * - weir-trace-prop: `propagation: true`, no exporter: what `weir` does by default, but with
 *   the same admin listener as the other variants, so that against weir-trace-off the tracing
 *   section is the only difference (issue 18's propagation figure);
 * - weir-trace-1:    1% of new traces sampled, spans exported to the bench's collector;
 * - weir-trace-100:  every request sampled and exported;
 * - weir-trace-down: every request sampled, the collector down (a port nothing listens on):
 *   what a dead collector costs, and the memory it may hold (read the RSS lines).
 *
 * The collector is an OTLP/HTTP sink in the bench process: it answers every POST /v1/traces with
 * an empty 200 (a valid ExportTraceServiceResponse) and counts requests and bytes, so exporting
 * costs Weir what it would against a real collector, and the bench process very little.
 */

const TRACING_TARGETS = ['weir-trace-off', 'weir-trace-prop', 'weir-trace-1', 'weir-trace-100', 'weir-trace-down'];

/**
 * The `tracing` section of a variant.
 * @param {string} target
 * @param {number} collectorPort  the sink's port
 * @param {number} deadPort       a free port nothing listens on
 */
function tracingSection(target, collectorPort, deadPort) {
  if (target === 'weir-trace-off') return { propagation: false };
  if (target === 'weir-trace-prop') return { propagation: true };
  const endpoint = `http://127.0.0.1:${target === 'weir-trace-down' ? deadPort : collectorPort}`;
  const ratio = target === 'weir-trace-1' ? 0.01 : 1;
  return { sampling: { ratio }, export: { endpoint, timeoutMs: 2000 } };
}

/**
 * @typedef {{ port: number, stats: { requests: number, bytes: number }, close(): void }} Collector
 * @returns {Promise<Collector>}
 */
function startCollector() {
  const stats = { requests: 0, bytes: 0 };
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    stats.requests++;
    req.on('data', (chunk) => {
      stats.bytes += chunk.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  server.unref();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : 0, stats, close: () => server.close() });
    });
  });
}

/**
 * The span export counters of a tracing target, from its admin API's /metrics.
 * @returns {Promise<{ exported: number, dropped: Record<string, number>, queued: number }>}
 */
async function tracingCounters(adminPort, token) {
  const res = await adminRequest(false, adminPort, 'GET', '/metrics', token);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.text.slice(0, 200)}`);
  let exported = 0;
  let queued = 0;
  /** @type {Record<string, number>} */
  const dropped = {};
  for (const line of res.text.split('\n')) {
    const e = /^weir_tracing_spans_exported_total\s+(\S+)/.exec(line);
    if (e !== null) exported += Number(e[1]);
    const d = /^weir_tracing_spans_dropped_total\{reason="(\w+)"\}\s+(\S+)/.exec(line);
    if (d !== null) dropped[d[1]] = (dropped[d[1]] ?? 0) + Number(d[2]);
    const q = /^weir_tracing_queue_spans\s+(\S+)/.exec(line);
    if (q !== null) queued += Number(q[1]);
  }
  return { exported, dropped, queued };
}

module.exports = { TRACING_TARGETS, tracingSection, startCollector, tracingCounters };
