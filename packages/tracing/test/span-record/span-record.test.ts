import { createResource, epochHrTime, hrTimeDiff, SpanKind, SpanRecord, SpanStatusCode, weirScope } from '@weir/tracing';

describe('epochHrTime', () => {
  it('converts epoch milliseconds to [seconds, nanos] keeping sub-millisecond precision', () => {
    expect(epochHrTime(0)).toEqual([0, 0]);
    expect(epochHrTime(1500)).toEqual([1, 500_000_000]);
    const [s, ns] = epochHrTime(1_700_000_000_123.456);
    expect(s).toBe(1_700_000_000);
    expect(Math.abs(ns - 123_456_000)).toBeLessThan(1000);
  });

  it('carries a rounded-up nanosecond part into the seconds', () => {
    expect(epochHrTime(1999.9999999)).toEqual([2, 0]);
  });

  it('computes durations with a borrow and never negative', () => {
    expect(hrTimeDiff([1, 900_000_000], [3, 100_000_000])).toEqual([1, 200_000_000]);
    expect(hrTimeDiff([3, 0], [1, 0])).toEqual([0, 0]);
  });
});

describe('SpanRecord', () => {
  const resource = createResource({ 'service.name': 'weir-test' });
  const scope = weirScope('1.2.3');

  it('has the ReadableSpan shape the OTLP serializer reads', () => {
    const span = new SpanRecord('GET /users', SpanKind.SERVER, 'a'.repeat(32), 'b'.repeat(16), 'c'.repeat(16), true, 1000, 1250.5, { 'http.request.method': 'GET' }, resource, scope);
    expect(span.spanContext()).toEqual({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    expect(span.parentSpanContext).toEqual({ traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: 1, isRemote: true });
    expect(span.startTime).toEqual([1, 0]);
    expect(span.endTime).toEqual([1, 250_500_000]);
    expect(span.duration).toEqual([0, 250_500_000]);
    expect(span.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(span.instrumentationScope).toEqual({ name: 'weir', version: '1.2.3' });
    expect(span.resource.attributes).toEqual({ 'service.name': 'weir-test' });
    expect([span.ended, span.links, span.events, span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount]).toEqual([true, [], [], 0, 0, 0]);
  });

  it('has no parent context for a root span, and records status and events', () => {
    const span = new SpanRecord('x', SpanKind.CLIENT, 'a'.repeat(32), 'b'.repeat(16), null, false, 0, 1, {}, resource, scope);
    const other = new SpanRecord('y', SpanKind.CLIENT, 'a'.repeat(32), 'd'.repeat(16), null, false, 0, 1, {}, resource, scope);
    expect(span.parentSpanContext).toBeUndefined();
    span.setStatus(SpanStatusCode.ERROR, 'WEIR_ERR_UPSTREAM_TIMEOUT');
    span.addEvent('retry', 0.5, { attempt: 1 });
    span.addEvent('give-up', 1);
    expect(span.status).toEqual({ code: 2, message: 'WEIR_ERR_UPSTREAM_TIMEOUT' });
    expect(span.events).toEqual([
      { name: 'retry', time: [0, 500_000], attributes: { attempt: 1 } },
      { name: 'give-up', time: [0, 1_000_000] },
    ]);
    expect(other.events).toEqual([]);
    other.setStatus(SpanStatusCode.OK);
    expect(other.status).toEqual({ code: 1 });
  });
});
