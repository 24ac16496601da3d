import * as http from 'node:http';
import type { WeirConfig } from '@weir/config';
import { startOtlpReceiver, type OtlpReceiver, type OtlpSpan } from '../../../tools/jest/otlp-receiver';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { pollSample } from './harness/metrics';
import { TestUpstream } from './harness/upstreams';

/**
 * Tracing through the built daemon with 2 workers (issue 18), against a real OTLP/HTTP receiver
 * that decodes with the OpenTelemetry proto definitions: propagation, spans per request and per
 * attempt, sampling, keepErrors.
 */
const reader = testToken('ci', ['read']);
const daemons = daemonPerTest();

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

function parse(value: string | string[] | undefined): { traceId: string; parentId: string; flags: string } {
  const m = TRACEPARENT.exec(String(value));
  if (m === null) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: m[1] as string, parentId: m[2] as string, flags: m[3] as string };
}

describe('tracing through the daemon', () => {
  let origin: TestUpstream;
  let collector: OtlpReceiver;

  beforeAll(async () => {
    origin = await TestUpstream.start('origin');
  });
  afterAll(async () => {
    await origin.close();
  });
  beforeEach(async () => {
    collector = await startOtlpReceiver();
  });
  afterEach(async () => {
    await collector.close();
  });

  const traced = (tracing: WeirConfig['tracing'], routeExtra: Partial<WeirConfig['routes'][number]> = {}, upstreams = [upstream('origin', origin.address)]): WeirConfig => ({
    ...proxyConfig({ workers: 2, routes: [{ name: 'all', upstream: 'origin', ...routeExtra }], upstreams }),
    admin: { tokens: [reader.entry] },
    ...(tracing === undefined ? {} : { tracing }),
  });

  test('propagation only by default: a new trace per request, not sampled, nothing exported', async () => {
    const daemon = await daemons.start(traced(undefined));
    const res = await send(daemon.port, { path: '/a' });
    expect(res.status).toBe(200);
    const seen = parse(origin.requests.at(-1)?.headers['traceparent']);
    expect(seen.flags).toBe('00');
    expect(seen.traceId).not.toBe(PARENT_TRACE);
    // A valid incoming traceparent is continued, with Weir's span as the parent; tracestate passes.
    await send(daemon.port, { path: '/b', headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`, tracestate: 'vendor=abc' } });
    const last = origin.requests.at(-1)!;
    const continued = parse(last.headers['traceparent']);
    expect(continued).toEqual({ traceId: PARENT_TRACE, parentId: expect.not.stringMatching(PARENT_SPAN), flags: '01' });
    expect(last.headers['tracestate']).toBe('vendor=abc');
    expect(last.rawHeaders.filter((h) => h.toLowerCase() === 'traceparent')).toHaveLength(1);
    expect(collector.requests.count).toBe(0);
  });

  test('propagation off passes the headers untouched', async () => {
    const daemon = await daemons.start(traced({ propagation: false }));
    await send(daemon.port, { headers: { traceparent: 'garbage', tracestate: 'x=1' } });
    expect(origin.requests.at(-1)?.headers['traceparent']).toBe('garbage');
    expect(origin.requests.at(-1)?.headers['tracestate']).toBe('x=1');
  });

  test('a sampled traceparent gives a server span with that parent and a client span the upstream saw as its parent', async () => {
    const daemon = await daemons.start(traced({ export: { endpoint: collector.url, flushIntervalMs: 50 } }));
    const res = await send(daemon.port, { path: '/items?id=7', headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`, 'user-agent': 'jest' } });
    expect(res.status).toBe(200);
    const seen = parse(origin.requests.at(-1)?.headers['traceparent']);
    const spans = await collector.waitForSpans(2, 5_000);
    const server = spans.find((s) => s.kind === 2) as OtlpSpan;
    const client = spans.find((s) => s.kind === 3) as OtlpSpan;
    expect(server).toMatchObject({ traceId: PARENT_TRACE, parentSpanId: PARENT_SPAN, name: 'all' });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/items',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
      'user_agent.original': 'jest',
      'weir.route': 'all',
      'weir.upstream': 'origin',
      'weir.rollout.arm': 'stable',
    });
    expect(server.attributes['client.address']).toBe('127.0.0.1');
    expect(server.resource['service.name']).toBe('weir');
    expect(client).toMatchObject({ traceId: PARENT_TRACE, parentSpanId: server.spanId, name: 'origin' });
    expect(client.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': origin.port, 'http.response.status_code': 200 });
    expect(seen).toEqual({ traceId: PARENT_TRACE, parentId: client.spanId, flags: '01' });
    expect(BigInt(client.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(server.startTimeUnixNano));
    expect(BigInt(client.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(server.endTimeUnixNano));
  });

  test('an invalid traceparent starts a new trace (and drops tracestate)', async () => {
    const daemon = await daemons.start(traced({ export: { endpoint: collector.url, flushIntervalMs: 50 } }));
    await send(daemon.port, { headers: { traceparent: `00-${PARENT_TRACE.toUpperCase()}-${PARENT_SPAN}-01`, tracestate: 'vendor=abc' } });
    const spans = await collector.waitForSpans(2, 5_000);
    const server = spans.find((s) => s.kind === 2) as OtlpSpan;
    expect(server.traceId).not.toBe(PARENT_TRACE);
    expect(server.parentSpanId).toBe('');
    expect(origin.requests.at(-1)?.headers['tracestate']).toBeUndefined();
    expect(parse(origin.requests.at(-1)?.headers['traceparent']).traceId).toBe(server.traceId);
  });

  test('a retried request shows two attempts, each with its endpoint and outcome', async () => {
    const dead = await TestUpstream.start('dead');
    const deadAddress = dead.address;
    await dead.close();
    const daemon = await daemons.start(
      traced(
        { export: { endpoint: collector.url, flushIntervalMs: 50 } },
        { retry: { retries: 1, retryOn: ['connect-failure'], backoff: { baseMs: 1, maxMs: 2 } } },
        [{ name: 'origin', endpoints: [{ address: deadAddress }, { address: origin.address }] }],
      ),
    );
    // Round robin over [dead, origin] in each worker: of 4 requests, some worker takes two in a
    // row, so at least one tries the dead endpoint first and is retried on the other.
    for (let i = 0; i < 4; i++) expect((await send(daemon.port)).status).toBe(200);
    const spans = await collector.waitForSpans(9, 5_000);
    const server = spans.find((s) => s.kind === 2 && s.attributes['weir.retry.count'] === 1) as OtlpSpan;
    expect(server.events.map((e) => e.name)).toContain('weir.retry');
    const clients = spans
      .filter((s) => s.kind === 3 && s.traceId === server.traceId)
      .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
    expect(clients.map((c) => c.parentSpanId)).toEqual([server.spanId, server.spanId]);
    expect(clients.map((c) => c.attributes['weir.endpoint'])).toEqual([deadAddress, origin.address]);
    expect(clients[0]?.attributes['error.type']).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(clients[0]?.status.code).toBe(2);
    expect(clients[1]?.attributes['http.request.resend_count']).toBe(1);
    // The upstream saw the second attempt's span as its parent.
    expect(origin.requests.some((r) => r.headers['traceparent'] === `00-${server.traceId}-${clients[1]?.spanId}-01`)).toBe(true);
  });

  test('keepErrors exports failed requests whatever the ratio, and nothing else', async () => {
    const failing = await TestUpstream.start('failing', (req, res) => {
      req.resume();
      res.writeHead(req.url === '/fail' ? 503 : 200).end();
    });
    try {
      const daemon = await daemons.start(
        traced({ sampling: { ratio: 0, keepErrors: true }, export: { endpoint: collector.url, flushIntervalMs: 50 } }, {}, [upstream('origin', failing.address)]),
      );
      for (let i = 0; i < 5; i++) expect((await send(daemon.port, { path: '/ok' })).status).toBe(200);
      expect((await send(daemon.port, { path: '/fail' })).status).toBe(503);
      const spans = await collector.waitForSpans(2, 5_000);
      // Only the failed request's spans came; the upstream was told "not sampled".
      expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
      expect(spans.find((s) => s.kind === 2)?.attributes['url.path']).toBe('/fail');
      expect(spans.find((s) => s.kind === 2)?.status.code).toBe(2);
      expect(parse(failing.requests.at(-1)?.headers['traceparent']).flags).toBe('00');
      await pollSample(daemon, reader.token, 'weir_tracing_spans_exported_total', (v) => v >= 2);
    } finally {
      await failing.close();
    }
  });

  test('exemplars on the OpenMetrics exposition name an exported trace', async () => {
    const daemon = await daemons.start(traced({ sampling: { ratio: 0.5 }, export: { endpoint: collector.url, flushIntervalMs: 50 } }));
    for (let i = 0; i < 20; i++) expect((await send(daemon.port)).status).toBe(200);
    const answer = await adminCall(daemon, 'GET', '/metrics', { token: reader.token, headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toContain('application/openmetrics-text');
    expect(answer.text.trimEnd().endsWith('# EOF')).toBe(true);
    const exemplars = [...answer.text.matchAll(/^weir_request_duration_seconds_bucket\{[^}]*route="all"[^}]*\} \d+ # \{trace_id="([0-9a-f]{32})"\} [0-9.e-]+ [0-9.]+$/gm)].map((m) => m[1]);
    expect(exemplars.length).toBeGreaterThan(0);
    expect(answer.text).toMatch(/^weir_requests_total\{/m);
    // Every sampled request's two spans reach the collector (the upstream saw which were sampled).
    const sampled = origin.requests.slice(-20).filter((r) => parse(r.headers['traceparent']).flags === '01').length;
    await collector.waitForSpans(sampled * 2, 5_000);
    const exported = new Set(collector.spans.map((s) => s.traceId));
    for (const id of exemplars) expect(exported.has(id as string)).toBe(true);
    // The default format stays Prometheus text, without exemplars.
    const plain = await adminCall(daemon, 'GET', '/metrics', { token: reader.token });
    expect(plain.text).not.toContain('trace_id');
  });

  test('the sampling ratio holds over 10,000 requests', async () => {
    const daemon = await daemons.start(traced({ sampling: { ratio: 0.2 }, export: { endpoint: collector.url, flushIntervalMs: 100, maxQueueSpans: 20_000, maxBatchSpans: 2_000 } }));
    const n = 10_000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let next = 0;
    let sampled = 0;
    const lane = async (): Promise<void> => {
      while (next < n) {
        next++;
        await send(daemon.port, { agent });
        // Each request's own upstream copy says whether it was sampled.
      }
    };
    try {
      await Promise.all(Array.from({ length: 16 }, lane));
    } finally {
      agent.destroy();
    }
    const flags = origin.requests.slice(-n).map((r) => parse(r.headers['traceparent']).flags);
    sampled = flags.filter((f) => f === '01').length;
    // Binomial(10,000, 0.2): sd 40; 5 sd either way.
    expect(Math.abs(sampled - 2_000)).toBeLessThan(200);
    const spans = await collector.waitForSpans(sampled * 2, 15_000);
    expect(spans.filter((s) => s.kind === 2)).toHaveLength(sampled);
  });
});
