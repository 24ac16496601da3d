import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WeirConfig } from '@weir/config';
import { startOtlpReceiver, type OtlpReceiver } from '../../../tools/jest/otlp-receiver';
import { testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import type { Daemon } from './harness/daemon';
import { daemonPerTest } from './harness/daemon-per-test';
import { Load } from './harness/load';
import { pollSample, scrape } from './harness/metrics';

/**
 * Issue 18: "the collector down for 30 s under load costs no proxied request and bounded memory,
 * and export resumes". The built daemon (2 workers) samples every request and exports to a real
 * OTLP/HTTP receiver that hangs (answers nothing; the exporter times out after 500 ms) for 30 s
 * while 16 keep-alive clients drive load: every
 * request must still get its 200, spans must be dropped and counted (never queued without
 * bound), each worker's RSS must stay bounded, and once the collector answers again new spans
 * must arrive and `weir_tracing_spans_exported_total` must grow.
 */
const reader = testToken('ci', ['read']);
const daemons = daemonPerTest();

const MAX_QUEUE_SPANS = 1000;
const WORKERS = 2;
const DOWN_MS = 30_000;
const CLIENTS = 16;
/** Allowed RSS growth per worker while the collector is down. */
const MAX_RSS_GROWTH = 100 * 1024 * 1024;

/** Resident set size of a process in bytes (Linux `/proc/<pid>/status`, VmRSS in kB). */
function rss(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Sum of every series of `name` in an exposition (all label sets), 0 when absent. */
function sumSeries(body: string, name: string): number {
  let sum = 0;
  for (const line of body.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Resolves once every trace in `traceIds` has its server and client span; throws after `timeoutMs`. */
async function waitForTraces(collector: OtlpReceiver, traceIds: readonly string[], timeoutMs: number): Promise<void> {
  const complete = (): boolean => traceIds.every((id) => collector.spans.filter((s) => s.traceId === id).length >= 2);
  const deadline = Date.now() + timeoutMs;
  // Each wait returns on the next span accepted, so this loop is bounded by spans, then by time.
  while (!complete()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`spans of ${traceIds.join(', ')} did not all arrive within ${timeoutMs} ms`);
    await collector.waitForSpans(collector.spans.length + 1, left).catch(() => undefined);
  }
}

async function metric(daemon: Daemon, name: string): Promise<number> {
  return sumSeries(await scrape(daemon, reader.token), name);
}

describe('tracing with the collector down under load', () => {
  let origin: http.Server;
  let originAddress: string;
  let collector: OtlpReceiver;

  beforeEach(async () => {
    // A plain upstream that records nothing: the load sends ~10^5 requests.
    origin = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }).end('ok');
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    originAddress = `127.0.0.1:${(origin.address() as AddressInfo).port}`;
    collector = await startOtlpReceiver();
  });
  afterEach(async () => {
    await collector.close();
    origin.closeAllConnections();
    await new Promise<void>((resolve) => origin.close(() => resolve()));
  });

  test('costs no proxied request and bounded memory, and export resumes', async () => {
    expect.assertions(11);
    const config: WeirConfig = {
      ...proxyConfig({ workers: WORKERS, routes: [{ name: 'all', upstream: 'origin' }], upstreams: [upstream('origin', originAddress)] }),
      admin: { tokens: [reader.entry] },
      tracing: {
        sampling: { ratio: 1 },
        export: { endpoint: collector.url, timeoutMs: 500, maxQueueSpans: MAX_QUEUE_SPANS, maxBatchSpans: 200, flushIntervalMs: 100 },
      },
    };
    const daemon = await daemons.start(config);

    // Export works before the outage.
    expect((await send(daemon.port)).status).toBe(200);
    await collector.waitForSpans(2, 5_000);
    const exportedBefore = await pollSample(daemon, reader.token, 'weir_tracing_spans_exported_total', (v) => v >= 2);
    const pids = daemon.liveWorkerPids();
    const rssBefore = new Map(pids.map((pid) => [pid, rss(pid)]));

    // The collector goes down: it accepts connections but never answers (the worst case for the
    // exporter: every batch waits out its 500 ms timeout while spans keep coming).
    collector.pause();
    const load = new Load({ port: daemon.port, concurrency: CLIENTS, maxDurationMs: DOWN_MS + 5_000 });
    let maxQueued = 0;
    const maxRss = new Map(pids.map((pid) => [pid, 0]));
    // The outage lasts DOWN_MS: sample the queue gauge and the workers' RSS meanwhile (bounded).
    const end = Date.now() + DOWN_MS;
    for (let i = 0; i < 100 && Date.now() < end; i++) {
      maxQueued = Math.max(maxQueued, await metric(daemon, 'weir_tracing_queue_spans'));
      for (const pid of pids) maxRss.set(pid, Math.max(maxRss.get(pid) ?? 0, rss(pid)));
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(0, end - Date.now()))));
    }
    const samples = await load.stop();
    const dropped = await metric(daemon, 'weir_tracing_spans_dropped_total');

    // Not one proxied request was lost to the outage.
    expect(samples.length).toBeGreaterThan(1_000);
    expect(samples.filter((s) => s.status !== 200).map((s) => `${s.status} ${s.body}`).slice(0, 5)).toEqual([]);
    // Spans were shed and counted rather than queued without bound.
    expect(dropped).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThanOrEqual(WORKERS * MAX_QUEUE_SPANS);
    const growth = pids.map((pid) => (maxRss.get(pid) ?? 0) - (rssBefore.get(pid) ?? 0));
    expect(growth.filter((g) => g > MAX_RSS_GROWTH)).toEqual([]);

    // The collector is back. Requests it held are answered now (their spans were given up on by
    // the exporter), so look for the spans of requests sent after the recovery, by trace id.
    collector.resume();
    const traceIds = Array.from({ length: 4 }, (_, i) => `${'c'.repeat(31)}${i}`);
    for (const id of traceIds) expect((await send(daemon.port, { headers: { traceparent: `00-${id}-00f067aa0ba902b7-01` } })).status).toBe(200);
    await waitForTraces(collector, traceIds, 10_000);
    const exportedAfter = await pollSample(daemon, reader.token, 'weir_tracing_spans_exported_total', (v) => v >= exportedBefore + 8, 10_000);
    expect(exportedAfter).toBeGreaterThanOrEqual(exportedBefore + 8);
  }, 90_000);
});
