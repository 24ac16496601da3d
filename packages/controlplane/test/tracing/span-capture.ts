import type { TracingExportSpec, TracingSpec } from '@weir/runtime';
import type { IdSource, SpanBatch, SpanRecord, SpanSink } from '@weir/tracing';
import { decodeSpanRecords } from '../../../../tools/jest/otlp-decode';
import { ControlTracer } from '../../src/tracing/index';

/** A `SpanSink` that keeps every exported record and accepts every batch at once. */
export class CapturingSink implements SpanSink {
  readonly spans: SpanRecord[] = [];
  shutdowns = 0;

  export(batch: SpanBatch, done: (ok: boolean) => void): void {
    this.spans.push(...decodeSpanRecords(batch.bytes));
    done(true);
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }

  /** The spans named `name`, in export order. */
  named(name: string): SpanRecord[] {
    return this.spans.filter((s) => s.name === name);
  }
}

/** Sequential ids: trace `t…01`, `t…02`; span `s…01`, … (hex, never zero). */
export class CountingIds implements IdSource {
  private traces = 0;
  private spans = 0;
  traceId(): string {
    return (++this.traces).toString(16).padStart(32, '0');
  }
  spanId(): string {
    return (++this.spans).toString(16).padStart(16, '0');
  }
}

/** An export setting that sends every span on its own (`maxBatchSpans: 1`): no timers involved. */
export function exportTo(url = 'http://collector.test/v1/traces', extra: Partial<TracingExportSpec> = {}): TracingExportSpec {
  return { url, headers: {}, timeoutMs: 1000, maxQueueSpans: 100, maxBatchSpans: 1, flushIntervalMs: 1000, ...extra };
}

/** A `TracingSpec` as `buildSpec` makes it, with `export` and optional resource settings. */
export function tracingSpec(exporter: TracingExportSpec | null, extra: Partial<TracingSpec> = {}): TracingSpec {
  return { propagation: true, ratio: 1, parentBased: true, keepErrors: false, serviceName: 'weir', resourceAttributes: {}, export: exporter, ...extra };
}

/** A tracer over capturing sinks (one per export setting, newest last) and a clock the test moves. */
export class TracerHarness {
  readonly sinks: CapturingSink[] = [];
  now = 1_765_000_000_000;
  readonly tracer = new ControlTracer({
    sinkFor: () => {
      const sink = new CapturingSink();
      this.sinks.push(sink);
      return sink;
    },
    clock: () => this.now,
    ids: new CountingIds(),
    instanceId: 'host-a:42',
  });

  /** Configure with a collector (the default setting) and return its sink. */
  recording(): CapturingSink {
    this.tracer.configure(tracingSpec(exportTo()));
    return this.sinks.at(-1) as CapturingSink;
  }

  /** Every span of every sink. */
  get spans(): SpanRecord[] {
    return this.sinks.flatMap((s) => s.spans);
  }
}
