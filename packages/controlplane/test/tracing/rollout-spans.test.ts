import { createDataplaneMetrics, metricsToJSON, type DataplaneMetrics } from '@weir/obs';
import { SpanStatusCode, type SpanRecord } from '@weir/tracing';
import { ApplyManager, InlineSpecBuilder } from '../../src/apply/index';
import { RolloutManager, type RolloutRecord } from '../../src/rollout/index';
import { FakeFleet } from '../apply/fake-fleet';
import { configWith } from '../admin/support/admin-harness';
import { CapturedLog } from '../support/captured-log';
import { TracerHarness, type CapturingSink } from './span-capture';

/**
 * A rollout's spans (issue 18, "a rollout produces its spans"): the root `weir.rollout`, the
 * candidate's preparation, one `weir.rollout.stage` per stage with the analysis as it stood when
 * the stage ended, the `weir.rollout.verdict` event, and the promotion apply, all in one trace.
 */
class MemoryPersistence {
  async load(): Promise<RolloutRecord[]> {
    return [];
  }
  async save(): Promise<void> {}
}

describe('RolloutManager spans', () => {
  let h: TracerHarness;
  let sink: CapturingSink;
  let fleet: FakeFleet;
  let applier: ApplyManager;
  let traffic: DataplaneMetrics;
  let manager: RolloutManager;

  beforeEach(async () => {
    h = new TracerHarness();
    sink = h.recording();
    const log = new CapturedLog();
    fleet = new FakeFleet();
    applier = new ApplyManager({ fleet, logger: log.logger, builder: new InlineSpecBuilder(), tracer: h.tracer });
    await applier.apply(configWith('one'), 'file');
    traffic = createDataplaneMetrics();
    h.now = Date.parse('2026-12-06T12:00:00Z');
    manager = new RolloutManager({
      applier,
      fleet,
      metrics: () => metricsToJSON(traffic.registry),
      persistence: new MemoryPersistence(),
      logger: log.logger,
      // One clock for the rollout and its spans, as in the daemon.
      clock: () => h.now,
      tickMs: 0,
      tracer: h.tracer,
    });
    await manager.init();
  });

  afterEach(async () => {
    manager.close();
    await applier.close();
    await h.tracer.close(100);
  });

  function serve(arm: 'stable' | 'candidate', count: number, status = 200): void {
    const labels = traffic.requestLabels('hello', '', arm);
    for (let i = 0; i < count; i++) labels.observe(status, 0.004);
  }

  const stages = [{ percent: 10, bakeSeconds: 60 }, { percent: 100, bakeSeconds: 60 }];
  const one = (name: string): SpanRecord => {
    const spans = sink.named(name);
    expect(spans).toHaveLength(1);
    return spans[0] as SpanRecord;
  };

  it('a promoted rollout: root, candidate, a stage span per stage with its analysis, the verdict and the promotion apply', async () => {
    expect.assertions(15);
    const started = await manager.start({ config: configWith('two'), stages, analysis: { minRequests: 5 } }, 'ci');
    serve('stable', 50);
    serve('candidate', 5);
    h.now += 60_000;
    await manager.tick();
    serve('candidate', 10);
    h.now += 60_000;
    await manager.tick();
    expect(manager.current).toBeNull();

    const root = one('weir.rollout');
    const trace = root.spanContext().traceId;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toEqual({
      'weir.principal': 'ci',
      'weir.rollout.id': started.id,
      'weir.rollout.stable_version': started.stableVersion,
      'weir.rollout.candidate_version': started.candidateVersion,
      'weir.rollout.stages': 2,
      'weir.rollout.state': 'promoted',
      'weir.rollout.stage': 1,
    });
    expect(root.events.map((e) => [e.name, e.attributes])).toEqual([['weir.rollout.verdict', { 'weir.rollout.verdict': 'promoted', 'weir.principal': 'analysis' }]]);
    expect(root.status.code).toBe(SpanStatusCode.UNSET);

    const candidate = one('weir.rollout.candidate');
    expect([candidate.spanContext().traceId, candidate.parentSpanContext?.spanId]).toEqual([trace, root.spanContext().spanId]);
    expect(candidate.attributes).toEqual({ 'weir.config.version': started.candidateVersion });

    const stageSpans = sink.named('weir.rollout.stage');
    expect(stageSpans.map((s) => s.parentSpanContext?.spanId)).toEqual([root.spanContext().spanId, root.spanContext().spanId]);
    expect(stageSpans[0]?.attributes).toEqual({
      'weir.rollout.id': started.id,
      'weir.rollout.stage': 0,
      'weir.rollout.share_percent': 10,
      'weir.rollout.bake_seconds': 60,
      'weir.rollout.gate': false,
      'weir.rollout.stage.verdict': 'passed',
      'weir.rollout.analysis.verdict': 'healthy',
      'weir.rollout.stable.requests': 50,
      'weir.rollout.stable.errors': 0,
      'weir.rollout.stable.error_rate': 0,
      'weir.rollout.stable.p99_ms': expect.any(Number),
      'weir.rollout.candidate.requests': 5,
      'weir.rollout.candidate.errors': 0,
      'weir.rollout.candidate.error_rate': 0,
      'weir.rollout.candidate.p99_ms': expect.any(Number),
    });
    expect(stageSpans[1]?.attributes).toMatchObject({ 'weir.rollout.stage': 1, 'weir.rollout.share_percent': 100, 'weir.rollout.stage.verdict': 'passed', 'weir.rollout.candidate.requests': 10 });
    // The stage spans follow each other: the first ends when the second starts, a bake apart.
    expect(stageSpans[0]?.duration).toEqual([60, 0]);

    const promotion = sink.named('weir.config.apply').find((s) => s.attributes['weir.config.source'] === 'rollout');
    expect(promotion?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(promotion?.attributes).toMatchObject({ 'weir.config.version': started.candidateVersion, 'weir.apply.outcome': 'applied', 'weir.principal': 'ci' });
  });

  it('an aborted rollout: the breached stage is ERROR, the verdict carries who and why', async () => {
    expect.assertions(6);
    await manager.start({ config: configWith('two'), stages, analysis: { minRequests: 5 } }, 'ci');
    serve('stable', 50);
    serve('candidate', 10, 500);
    await manager.tick();
    const root = one('weir.rollout');
    const stage = one('weir.rollout.stage');
    expect(stage.attributes).toMatchObject({ 'weir.rollout.stage.verdict': 'breach', 'weir.rollout.analysis.verdict': 'breach', 'weir.rollout.candidate.error_rate': 1 });
    expect(stage.status).toEqual({ code: SpanStatusCode.ERROR, message: 'breach' });
    expect(root.events[0]?.attributes).toMatchObject({ 'weir.rollout.verdict': 'aborted', 'weir.rollout.aborted_by': 'analysis', 'weir.rollout.reason': expect.stringContaining('error rate') });
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: 'aborted:analysis' });
  });

  it('pause and resume are stage events; an operator promoting past a stage is said so', async () => {
    expect.assertions(2);
    const started = await manager.start({ config: configWith('two'), stages }, 'ci');
    await manager.act(started.id, 'pause', 'ops', {});
    await manager.act(started.id, 'resume', 'ops', {});
    await manager.act(started.id, 'promote', 'ops', {});
    await manager.act(started.id, 'abort', 'ops', {});
    const [first, second] = sink.named('weir.rollout.stage');
    expect(first?.events.map((e) => [e.name, e.attributes])).toEqual([
      ['weir.rollout.paused', { 'weir.rollout.paused_by': 'operator', 'weir.principal': 'ops' }],
      ['weir.rollout.resumed', { 'weir.principal': 'ops' }],
    ]);
    expect([first?.attributes['weir.rollout.stage.verdict'], second?.attributes['weir.rollout.stage.verdict']]).toEqual(['operator-promoted', 'aborted']);
  });

  it('a rollout that cannot start is one ERROR root span; one live at shutdown is ended as interrupted', async () => {
    expect.assertions(4);
    fleet.failWith = new Error('worker refused');
    await expect(manager.start({ config: configWith('two'), stages }, 'ci')).rejects.toBeDefined();
    const failed = one('weir.rollout');
    expect(failed.attributes).toMatchObject({ 'weir.rollout.state': 'not-started', 'error.type': 'WEIR_ERR_INTERNAL' });
    fleet.failWith = null;
    await manager.start({ config: configWith('two'), stages }, 'ci');
    manager.close();
    const interrupted = sink.named('weir.rollout')[1];
    expect(interrupted?.attributes).toMatchObject({ 'weir.rollout.state': 'running', 'error.type': 'interrupted' });
  });
});
