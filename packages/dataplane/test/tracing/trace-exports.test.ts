import type { TracingExportSpec } from '@weir/runtime';
import { SpanKind, SpanRecord } from '@weir/tracing';
import { TRACE_SCOPE_VERSION, TraceExports, type TraceExportReadings } from '../../src/tracing/index';
import { exportSpec, RecordingSink, SCOPE, tracingSpec } from './fixtures';

/**
 * TraceExports (issue 18): one SpanQueue per export setting, kept across config versions; a
 * replaced queue is drained and shut down in the background; readings never go backwards.
 */

function span(i: number): SpanRecord {
  return new SpanRecord('s', SpanKind.SERVER, 'a'.repeat(32), (i + 1).toString(16).padStart(16, '0'), null, false, 0, 1, {}, SCOPE.group.resource, SCOPE.group.scope);
}

/** A SinkFactory that makes holding sinks (the test answers each batch) and keeps them. */
function holdingFactory(): { made: { exporter: TracingExportSpec; sink: RecordingSink }[]; factory: (e: TracingExportSpec) => RecordingSink } {
  const made: { exporter: TracingExportSpec; sink: RecordingSink }[] = [];
  return {
    made,
    factory: (exporter) => {
      const sink = new RecordingSink(true, true);
      made.push({ exporter, sink });
      return sink;
    },
  };
}

function release(sink: RecordingSink, ok: boolean): void {
  const done = sink.held.shift();
  if (done === undefined) throw new Error('no batch held');
  done(ok);
}

function expectNoDecrease(readings: readonly TraceExportReadings[]): void {
  for (let i = 1; i < readings.length; i++) {
    const a = readings[i - 1] as TraceExportReadings;
    const b = readings[i] as TraceExportReadings;
    expect([b.exported >= a.exported, b.queueFull >= a.queueFull, b.exportFailed >= a.exportFailed, b.shutdown >= a.shutdown]).toEqual([true, true, true, true]);
  }
}

describe('TraceExports', () => {
  let exports: TraceExports;
  afterEach(async () => {
    await exports.close(100);
  });

  it('has no queue without an export setting', () => {
    exports = new TraceExports(holdingFactory().factory, 'test:1');
    expect(exports.queueFor(tracingSpec({ export: null }))).toBeNull();
    expect(exports.readings()).toEqual({ exported: 0, queueFull: 0, exportFailed: 0, shutdown: 0, queued: 0 });
  });

  it('shares one queue between runtimes with equal export settings, and makes a new one for a changed setting', () => {
    const { made, factory } = holdingFactory();
    exports = new TraceExports(factory, 'test:1');
    const a = exports.queueFor(tracingSpec({ export: exportSpec() }));
    const again = exports.queueFor(tracingSpec({ ratio: 0.1, export: exportSpec() }));
    expect(again).toBe(a);
    const b = exports.queueFor(tracingSpec({ export: exportSpec({ timeoutMs: 2000 }) }));
    expect(b).not.toBe(a);
    expect(made.map((m) => m.exporter.timeoutMs)).toEqual([1000, 2000]);
  });

  it('shuts the queues down that no runtime keeps, and keeps the others', async () => {
    expect.assertions(3);
    const { made, factory } = holdingFactory();
    exports = new TraceExports(factory, 'test:1');
    exports.queueFor(tracingSpec({ export: exportSpec() }))!;
    const newQueue = exports.queueFor(tracingSpec({ export: exportSpec({ url: 'http://other.invalid/v1/traces' }) }))!;
    exports.prune(new Set([newQueue]));
    // The pruned setting gets a fresh queue if it comes back; the kept one is still shared.
    expect(exports.queueFor(tracingSpec({ export: exportSpec({ url: 'http://other.invalid/v1/traces' }) }))).toBe(newQueue);
    await exports.close(100);
    expect(made[0]?.sink.shutdowns).toBe(1);
    expect(made[1]?.sink.shutdowns).toBe(1);
  });

  it('sums current, retiring and retired queues, never going backwards across a replacement', async () => {
    // 8 here and one per pair of the 6 readings.
    expect.assertions(13);
    const { made, factory } = holdingFactory();
    exports = new TraceExports(factory, 'test:1');
    const seen: TraceExportReadings[] = [];
    const old = exports.queueFor(tracingSpec({ export: exportSpec({ maxBatchSpans: 1 }) }))!;
    const oldSink = made[0]!.sink;
    for (let i = 0; i < 3; i++) old.push(span(i));
    // One batch in flight (held), two waiting.
    seen.push(exports.readings());
    expect(seen.at(-1)).toEqual({ exported: 0, queueFull: 0, exportFailed: 0, shutdown: 0, queued: 2 });
    release(oldSink, true);
    seen.push(exports.readings());
    expect(seen.at(-1)).toMatchObject({ exported: 1, queued: 1 });

    // A new export setting: the old queue is replaced and retires while a batch is in flight.
    const replacement = exports.queueFor(tracingSpec({ export: exportSpec({ maxBatchSpans: 1, timeoutMs: 2000 }) }))!;
    const newSink = made[1]!.sink;
    exports.prune(new Set([replacement]));
    seen.push(exports.readings());
    expect(seen.at(-1)).toMatchObject({ exported: 1, queued: 1 });
    replacement.push(span(3));
    release(newSink, false);
    seen.push(exports.readings());
    expect(seen.at(-1)).toMatchObject({ exported: 1, exportFailed: 1, queued: 1 });

    // The retiring queue sends what it holds, then folds into the retired totals.
    release(oldSink, false);
    seen.push(exports.readings());
    release(oldSink, true);
    await exports.close(1000);
    seen.push(exports.readings());
    expect(seen.at(-1)).toEqual({ exported: 2, queueFull: 0, exportFailed: 2, shutdown: 0, queued: 0 });
    expect(oldSink.batches.flat()).toHaveLength(3);
    expect(oldSink.shutdowns).toBe(1);
    expect(newSink.shutdowns).toBe(1);
    expectNoDecrease(seen);
  });

  it('counts spans a full queue sheds', () => {
    const { factory } = holdingFactory();
    exports = new TraceExports(factory, 'test:1');
    const queue = exports.queueFor(tracingSpec({ export: exportSpec({ maxQueueSpans: 2, maxBatchSpans: 1 }) }))!;
    // One in flight (held), two waiting, the rest shed.
    for (let i = 0; i < 6; i++) queue.push(span(i));
    expect(exports.readings()).toMatchObject({ queueFull: 3, queued: 2 });
  });

  it('counts what a drain could not send in time as shutdown', async () => {
    expect.assertions(1);
    const { factory } = holdingFactory();
    exports = new TraceExports(factory, 'test:1');
    const queue = exports.queueFor(tracingSpec({ export: exportSpec({ maxBatchSpans: 1 }) }))!;
    for (let i = 0; i < 3; i++) queue.push(span(i));
    await exports.close(20);
    expect(exports.readings()).toMatchObject({ shutdown: 2, queued: 0 });
  });

  it('builds one resource and scope group per service name and attributes', () => {
    exports = new TraceExports(holdingFactory().factory, 'host:42');
    const a = exports.groupFor(tracingSpec({ serviceName: 'edge', resourceAttributes: { 'deployment.environment': 'prod' } }));
    expect(exports.groupFor(tracingSpec({ serviceName: 'edge', resourceAttributes: { 'deployment.environment': 'prod' }, ratio: 0.5 }))).toBe(a);
    expect(a.resource.attributes).toMatchObject({ 'service.name': 'edge', 'service.instance.id': 'host:42', 'deployment.environment': 'prod', 'process.pid': String(process.pid) });
    expect(a.scope).toEqual({ name: 'weir', version: TRACE_SCOPE_VERSION });
    const b = exports.groupFor(tracingSpec({ serviceName: 'other' }));
    expect(b).not.toBe(a);
    expect(b.resource.attributes['service.name']).toBe('other');
  });
});
