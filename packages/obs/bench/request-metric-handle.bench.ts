/**
 * Micro-benchmark: recording one finished request (status count + duration) through a
 * RequestMetricHandle, against prom-client's own prebound children doing the same, in the same
 * process. One scenario per file (STYLE.md rule 15).
 *
 *     npx ts-node --transpile-only packages/obs/bench/request-metric-handle.bench.ts
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { createDataplaneMetrics, metricCatalogue, requestDurationBuckets } from '../src/index';

const iterations = 5_000_000;
const statuses = [200, 200, 200, 200, 200, 200, 200, 404, 200, 502];

function run(name: string, observe: (status: number, seconds: number) => void): void {
  for (let i = 0; i < 200_000; i++) observe(statuses[i % 10] as number, (i % 1000) / 20_000);
  const heap = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) observe(statuses[i % 10] as number, (i % 1000) / 20_000);
  const ns = Number(process.hrtime.bigint() - start);
  const heapDelta = process.memoryUsage().heapUsed - heap;
  process.stdout.write(`${name.padEnd(30)} ${((iterations / ns) * 1e3).toFixed(2)} M ops/s  ${(ns / iterations).toFixed(1)} ns/op  heap Δ ${heapDelta} B\n`);
}

const handle = createDataplaneMetrics().requestLabels('api', 'backend');

const registry = new Registry();
const counter = new Counter({ name: 'c_total', help: 'h', labelNames: ['route', 'upstream', 'status'], registers: [registry] });
const histogram = new Histogram({
  name: metricCatalogue.requestDurationSeconds.name,
  help: 'h',
  labelNames: ['route', 'upstream'],
  buckets: requestDurationBuckets.slice(),
  registers: [registry],
});
const children = new Map(statuses.map((s) => [s, counter.labels('api', 'backend', String(s))]));
const durationChild = histogram.labels('api', 'backend');

for (let round = 0; round < 3; round++) {
  run('RequestMetricHandle.observe', (status, seconds) => handle.observe(status, seconds));
  run('prom-client children', (status, seconds) => {
    children.get(status)?.inc();
    durationChild.observe(seconds);
  });
}
