import { WeirError } from '@weir/errors';
import { SpanStatusCode } from '@weir/tracing';
import { ApplyManager, InlineSpecBuilder } from '../../src/apply/index';
import { FakeFleet } from '../apply/fake-fleet';
import { CapturedLog } from '../support/captured-log';
import { TracerHarness, type CapturingSink } from './span-capture';

/** `weir.config.apply` (issue 18): one span per apply, with version, source, principal and outcome. */
function config(body: string): Record<string, unknown> {
  return { listeners: [{ name: 'main', port: 0 }], routes: [{ name: 'hello', directResponse: { status: 200, body } }] };
}

describe('ApplyManager spans', () => {
  let h: TracerHarness;
  let sink: CapturingSink;
  let fleet: FakeFleet;
  let manager: ApplyManager;

  beforeEach(() => {
    h = new TracerHarness();
    sink = h.recording();
    fleet = new FakeFleet();
    manager = new ApplyManager({ fleet, logger: new CapturedLog().logger, builder: new InlineSpecBuilder(), tracer: h.tracer });
  });

  afterEach(async () => {
    await manager.close();
    await h.tracer.close(100);
  });

  it('records applied, unchanged and rejected applies', async () => {
    expect.assertions(5);
    const applied = await manager.apply(config('a'), 'admin', { principal: 'ci' });
    await manager.apply(config('a'), 'file');
    fleet.failWith = new WeirError('WEIR_ERR_APPLY_REJECTED', 'worker 7 said no');
    await expect(manager.apply(config('b'), 'rollback')).rejects.toMatchObject({ code: 'WEIR_ERR_APPLY_REJECTED' });
    const spans = sink.named('weir.config.apply');
    expect(spans.map((s) => s.attributes)).toEqual([
      { 'weir.config.source': 'admin', 'weir.principal': 'ci', 'weir.config.version': applied.version, 'weir.apply.outcome': 'applied' },
      { 'weir.config.source': 'file', 'weir.config.version': applied.version, 'weir.apply.outcome': 'unchanged' },
      { 'weir.config.source': 'rollback', 'weir.config.version': expect.stringMatching(/^v-/), 'weir.apply.outcome': 'rejected', 'error.type': 'WEIR_ERR_APPLY_REJECTED' },
    ]);
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.UNSET, SpanStatusCode.UNSET, SpanStatusCode.ERROR]);
    expect(spans.map((s) => s.parentSpanContext)).toEqual([undefined, undefined, undefined]);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(3);
  });

  it('names no version for a config that never built, and is a child of the parent it is given', async () => {
    expect.assertions(4);
    await expect(manager.apply({ routes: 'nope' }, 'admin')).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID' });
    const parent = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) };
    await manager.apply(config('c'), 'rollout', { parent });
    const [invalid, child] = sink.named('weir.config.apply');
    expect(invalid?.attributes).toEqual({ 'weir.config.source': 'admin', 'weir.apply.outcome': 'rejected', 'error.type': 'WEIR_ERR_CONFIG_INVALID' });
    expect(child?.spanContext().traceId).toBe(parent.traceId);
    expect(child?.parentSpanContext?.spanId).toBe(parent.spanId);
  });

  it('spans the apply from its turn in the queue to its outcome', async () => {
    expect.assertions(1);
    fleet.apply = async (_bytes, version) => {
      h.now += 250;
      return { version, listeners: [] };
    };
    await manager.apply(config('slow'), 'admin');
    const span = sink.named('weir.config.apply')[0]!;
    expect(span.duration).toEqual([0, 250_000_000]);
  });

  it('costs nothing without an export', async () => {
    expect.assertions(2);
    h.tracer.configure({ ...(await manager.check(config('x'))).spec.tracing, export: null });
    await manager.apply(config('d'), 'admin');
    expect(h.spans).toHaveLength(0);
    expect(sink.shutdowns).toBe(1);
  });
});
