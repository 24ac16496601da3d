import { SpanKind, SpanStatusCode, epochHrTime } from '@weir/tracing';
import { NOOP_SPAN, urlWithoutCredentials } from '../../src/tracing/index';
import { exportTo, TracerHarness, tracingSpec } from './span-capture';

/**
 * The primary's tracer (issue 18): it follows the committed `tracing` section (one queue per
 * export setting, replaced and shut down when the setting changes, nothing without one), names
 * the primary in its resource, and turns `ControlSpan`s into INTERNAL span records.
 */
describe('ControlTracer', () => {
  let h: TracerHarness;

  beforeEach(() => {
    h = new TracerHarness();
  });

  afterEach(async () => {
    await h.tracer.close(100);
  });

  it('records nothing before a config and without an export: every span is NOOP_SPAN', () => {
    expect(h.tracer.startSpan('weir.config.apply', {})).toBe(NOOP_SPAN);
    h.tracer.configure(tracingSpec(null));
    const span = h.tracer.startSpan('weir.config.apply', { a: 1 });
    expect(span).toBe(NOOP_SPAN);
    expect(span.context).toBeNull();
    span.setAttribute('b', 2);
    span.addEvent('e');
    span.end(false, 'WEIR_ERR_X');
    expect(h.sinks).toEqual([]);
    expect(h.tracer.recording).toBe(false);
  });

  it('exports an INTERNAL span with ids, times, attributes, events, resource and scope', () => {
    const sink = h.recording();
    const span = h.tracer.startSpan('weir.config.apply', { 'weir.config.source': 'admin' });
    expect(span.context).toEqual({ traceId: '00000000000000000000000000000001', spanId: '0000000000000001' });
    h.now += 250;
    span.addEvent('checkpoint', { n: 1 });
    span.setAttribute('weir.config.version', 'v-1');
    h.now += 250.5;
    span.end(true);
    span.end(false, 'ignored after end');
    expect(sink.spans).toHaveLength(1);
    const record = sink.spans[0]!;
    expect(record.name).toBe('weir.config.apply');
    expect(record.kind).toBe(SpanKind.INTERNAL);
    expect(record.spanContext()).toMatchObject({ traceId: '00000000000000000000000000000001', spanId: '0000000000000001' });
    expect(record.parentSpanContext).toBeUndefined();
    expect(record.startTime).toEqual(epochHrTime(1_765_000_000_000));
    expect(record.endTime).toEqual(epochHrTime(1_765_000_000_500.5));
    expect(record.attributes).toEqual({ 'weir.config.source': 'admin', 'weir.config.version': 'v-1' });
    expect(record.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(record.events).toEqual([{ name: 'checkpoint', time: epochHrTime(1_765_000_000_250), attributes: { n: 1 } }]);
    expect(record.resource.attributes).toEqual({ 'service.name': 'weir', 'service.instance.id': 'host-a:42', 'weir.process': 'primary' });
    expect(record.instrumentationScope).toEqual({ name: 'weir', version: '1' });
  });

  it('makes children in the parent trace, and failed spans ERROR with the code as error.type', () => {
    const sink = h.recording();
    const root = h.tracer.startSpan('weir.rollout', {});
    const child = h.tracer.startSpan('weir.rollout.stage', {}, root.context);
    child.end(false, 'breach');
    root.end(false);
    const [c, r] = sink.spans;
    expect(c?.spanContext().traceId).toBe(r?.spanContext().traceId);
    expect(c?.parentSpanContext).toMatchObject({ traceId: r?.spanContext().traceId, spanId: r?.spanContext().spanId, isRemote: false });
    expect(c?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'breach' });
    expect(c?.attributes['error.type']).toBe('breach');
    expect(r?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'error' });
  });

  it('adds the config resource attributes and service name, rebuilt when they change', () => {
    const sink = h.recording();
    h.tracer.configure(tracingSpec(exportTo(), { serviceName: 'edge', resourceAttributes: { 'deployment.environment': 'prod' } }));
    h.tracer.startSpan('a', {}).end(true);
    expect(h.sinks).toHaveLength(1);
    expect(sink.spans[0]?.resource.attributes).toEqual({
      'deployment.environment': 'prod',
      'service.name': 'edge',
      'service.instance.id': 'host-a:42',
      'weir.process': 'primary',
    });
  });

  it('keeps the queue while the export setting is equal, and replaces and shuts down the old one when it changes', async () => {
    expect.assertions(6);
    const first = h.recording();
    h.tracer.configure(tracingSpec(exportTo(), { serviceName: 'other' }));
    expect(h.sinks).toHaveLength(1);
    // A span that started under the old setting ends on the queue current when it ends.
    const span = h.tracer.startSpan('weir.config.apply', {});
    h.tracer.configure(tracingSpec(exportTo('http://elsewhere.test/v1/traces')));
    expect(h.sinks).toHaveLength(2);
    span.end(true);
    expect(h.sinks[1]?.spans.map((s) => s.name)).toEqual(['weir.config.apply']);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.shutdowns).toBe(1);
    // Export removed: the queue is shut down, and spans end unrecorded.
    h.tracer.configure(tracingSpec(null));
    h.tracer.startSpan('later', {}).end(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.sinks[1]?.shutdowns).toBe(1);
    expect(h.spans.map((s) => s.name)).toEqual(['weir.config.apply']);
  });

  it('close sends what waits, shuts the sink down and records nothing afterwards', async () => {
    expect.assertions(4);
    h.tracer.configure(tracingSpec(exportTo(undefined, { maxBatchSpans: 10 })));
    const sink = h.sinks[0]!;
    h.tracer.startSpan('waiting', {}).end(true);
    expect(sink.spans).toHaveLength(0);
    await h.tracer.close(1000);
    expect(sink.spans.map((s) => s.name)).toEqual(['waiting']);
    expect(sink.shutdowns).toBe(1);
    h.tracer.configure(tracingSpec(exportTo()));
    expect(h.tracer.startSpan('after', {})).toBe(NOOP_SPAN);
  });
});

describe('urlWithoutCredentials', () => {
  it('drops user info, query and fragment of http(s) URLs and keeps other text', () => {
    expect(urlWithoutCredentials('https://user:secret@bundles.example/prod/weir.bundle?X-Amz-Signature=abc#x')).toBe('https://bundles.example/prod/weir.bundle');
    expect(urlWithoutCredentials('http://127.0.0.1:8080/b')).toBe('http://127.0.0.1:8080/b');
    expect(urlWithoutCredentials('s3://bucket/key at https://minio:9000')).toBe('s3://bucket/key at https://minio:9000');
  });
});
