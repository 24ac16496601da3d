import type { WeirConfig } from '@weir/config';
import { startOtlpReceiver, type OtlpReceiver, type OtlpSpan } from '../../../tools/jest/otlp-receiver';
import { adminCall, testToken } from './harness/admin-client';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { Load } from './harness/load';
import { TestUpstream, closeAll } from './harness/upstreams';

/**
 * Issue 18, "a rollout produces its spans": the primary's own spans through the built daemon with
 * 2 workers, against a real OTLP/HTTP receiver. An admin apply is a `weir.config.apply` span with
 * the version it applied; a rollout is a root `weir.rollout` span with a `weir.rollout.stage`
 * child per stage and the `weir.rollout.verdict` event, in the same trace as its promotion
 * apply. Request spans are off (`ratio: 0`), so every span received is the control plane's.
 */
const operator = testToken('ci', ['read', 'write', 'rollout']);
const daemons = daemonPerTest();

describe('control-plane spans (built daemon, 2 workers)', () => {
  let collector: OtlpReceiver;
  let ups: TestUpstream[] = [];
  let load: Load | null = null;

  beforeEach(async () => {
    collector = await startOtlpReceiver();
  });
  afterEach(async () => {
    await load?.stop();
    load = null;
    await collector.close();
    await closeAll(ups);
    ups = [];
  });

  /** Resolve with the spans once `done` holds for them; each wait is for the next export. */
  async function spansUntil(done: (spans: readonly OtlpSpan[]) => boolean, timeoutMs = 20_000): Promise<OtlpSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(collector.spans)) await collector.waitForSpans(collector.spans.length + 1, Math.max(1, deadline - Date.now()));
    return collector.spans.slice();
  }

  function config(routeUpstream: string, upstreams: WeirConfig['upstreams']): WeirConfig {
    return {
      ...proxyConfig({ workers: 2, routes: [{ name: 'api', upstream: routeUpstream }], upstreams }),
      admin: { tokens: [operator.entry] },
      tracing: { sampling: { ratio: 0 }, export: { endpoint: collector.url, flushIntervalMs: 50 } },
    };
  }

  test('an apply through the admin API is a weir.config.apply span with the new version', async () => {
    const origin = await TestUpstream.start('origin');
    ups = [origin];
    const first = config('origin', [upstream('origin', origin.address)]);
    const d = await daemons.start(first);
    const next: WeirConfig = { ...first, routes: [{ name: 'api-v2', upstream: 'origin' }] };
    const applied = await adminCall(d, 'POST', '/admin/config', { token: operator.token, body: next });
    expect(applied.status).toBe(200);
    const version = applied.json.version as string;
    const spans = await spansUntil((s) => s.some((x) => x.name === 'weir.config.apply' && x.attributes['weir.config.version'] === version));
    const span = spans.find((x) => x.name === 'weir.config.apply' && x.attributes['weir.config.version'] === version) as OtlpSpan;
    expect(span.kind).toBe(1);
    expect(span.parentSpanId).toBe('');
    expect(span.attributes).toMatchObject({ 'weir.config.source': 'admin', 'weir.principal': 'ci', 'weir.apply.outcome': 'applied' });
    expect(span.resource).toMatchObject({ 'service.name': 'weir', 'weir.process': 'primary' });
    expect(String(span.resource['service.instance.id'])).toMatch(/:\d+$/);
    expect(span.scope.name).toBe('weir');
    expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
  });

  test('a rollout produces its spans: the root, a stage span per stage parented on it, the verdict and the promotion apply', async () => {
    const [blue, green] = await Promise.all([TestUpstream.start('blue'), TestUpstream.start('green')]);
    ups = [blue!, green!];
    const upstreams = [upstream('blue', blue!.address), upstream('green', green!.address)];
    const stable = config('blue', upstreams);
    const d = await daemons.start(stable);
    load = new Load({ port: d.port, concurrency: 4, maxDurationMs: 60_000 });
    const started = await adminCall(d, 'POST', '/admin/rollouts', {
      token: operator.token,
      body: {
        config: config('green', upstreams),
        stages: [{ percent: 50, bakeSeconds: 1 }, { percent: 100, bakeSeconds: 1 }],
        analysis: { minRequests: 1, p99ToleranceMs: 5000 },
      },
    });
    expect(started.status).toBe(201);
    const id = started.json.id as string;
    const spans = await spansUntil((s) => s.some((x) => x.name === 'weir.rollout' && x.attributes['weir.rollout.id'] === id), 60_000);
    const root = spans.find((x) => x.name === 'weir.rollout' && x.attributes['weir.rollout.id'] === id) as OtlpSpan;
    expect(root.parentSpanId).toBe('');
    expect(root.attributes).toMatchObject({
      'weir.principal': 'ci',
      'weir.rollout.stable_version': started.json.stableVersion,
      'weir.rollout.candidate_version': started.json.candidateVersion,
      'weir.rollout.state': 'promoted',
    });
    expect(root.events.map((e) => [e.name, e.attributes['weir.rollout.verdict']])).toEqual([['weir.rollout.verdict', 'promoted']]);

    const inTrace = spans.filter((x) => x.traceId === root.traceId);
    const stages = inTrace.filter((x) => x.name === 'weir.rollout.stage').sort((a, b) => Number(a.attributes['weir.rollout.stage']) - Number(b.attributes['weir.rollout.stage']));
    expect(stages.map((x) => [x.parentSpanId, x.attributes['weir.rollout.stage'], x.attributes['weir.rollout.share_percent'], x.attributes['weir.rollout.stage.verdict']])).toEqual([
      [root.spanId, 0, 50, 'passed'],
      [root.spanId, 1, 100, 'passed'],
    ]);
    for (const stage of stages) {
      expect(stage.attributes).toMatchObject({ 'weir.rollout.bake_seconds': 1, 'weir.rollout.analysis.verdict': 'healthy' });
      expect(Number(stage.attributes['weir.rollout.candidate.requests'])).toBeGreaterThanOrEqual(1);
    }
    expect(inTrace.find((x) => x.name === 'weir.rollout.candidate')?.parentSpanId).toBe(root.spanId);
    const promotion = inTrace.find((x) => x.name === 'weir.config.apply');
    expect(promotion?.parentSpanId).toBe(root.spanId);
    expect(promotion?.attributes).toMatchObject({ 'weir.config.source': 'rollout', 'weir.config.version': started.json.candidateVersion, 'weir.apply.outcome': 'applied' });
  }, 90_000);
});
