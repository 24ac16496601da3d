'use strict';
/**
 * What tracing costs a request before it is sent upstream (issue 18): `WorkerTracer.begin` (find
 * the trace headers, parse `traceparent`, make ids, decide sampling) and the upstream
 * `traceparent`. Propagation only is the default for every request, so it must stay within a
 * few hundred ns. Run after `tsc -b`:
 *   node --expose-gc ../../tools/microbench/run.js bench trace-begin
 */
const { WorkerTracer, TraceExports } = require('../dist/index.js');
const { RandomIds, createResource, weirScope } = require('../../tracing/dist/index.js');

const spec = (ratio, exporter) => ({
  propagation: true,
  ratio,
  parentBased: true,
  keepErrors: false,
  serviceName: 'weir',
  resourceAttributes: {},
  export: exporter,
});
const scope = { resource: createResource({ 'service.name': 'weir' }), scope: weirScope('1'), version: 'v-1', arm: 'stable' };
const ids = new RandomIds();
const propagation = new WorkerTracer(spec(1, null), null, ids, scope);
// An exporter that is never reached: a 1% ratio decides "not sampled" for most trace ids.
const exportSpec = spec(0.01, { url: 'http://127.0.0.1:9/v1/traces', headers: {}, timeoutMs: 1000, maxQueueSpans: 2048, maxBatchSpans: 512, flushIntervalMs: 1000 });
const queue = new TraceExports(() => ({ export: (_spans, done) => done(true), shutdown: () => Promise.resolve() })).queueFor(exportSpec);
const onePercent = new WorkerTracer(exportSpec, queue, ids, scope);

const plain = ['Host', 'example.com', 'User-Agent', 'wrk', 'Accept', '*/*'];
const traced = [...plain, 'traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'tracestate', 'congo=t61rcWkgMzE'];

module.exports = {
  cases: [
    { name: 'begin, no traceparent (new trace), no exporter', fn: () => propagation.begin(plain, null) },
    { name: 'begin, valid traceparent + tracestate, no exporter', fn: () => propagation.begin(traced, null) },
    { name: 'begin + upstream traceparent, new trace', fn: () => { const t = propagation.begin(plain, null); return propagation.upstreamTraceParent(t, t.spanId); } },
    { name: 'begin, new trace, 1% sampling with an exporter', fn: () => onePercent.begin(plain, null) },
    { name: 'baseline: noop', fn: () => 0 },
  ],
};
