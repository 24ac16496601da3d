import { createResource, SpanGroup, SpanQueue, weirScope, type IdSource, type SpanBatch, type SpanRecord, type SpanSink } from '@weir/tracing';
import { decodeSpanRecords } from '../../../../tools/jest/otlp-decode';
import type { TracingExportSpec, TracingSpec } from '@weir/runtime';
import type { TraceScope } from '../../src/tracing/index';

/** Shared fakes of the tracing unit tests (issue 18): ids, specs, a sink, a scope. */

/**
 * Deterministic ids: span ids count up (`0000000000000001`, ...); trace ids come from `traces`
 * in order, then count up too. Every id is valid lowercase hex, never all zero.
 */
export class CountingIds implements IdSource {
  private spans = 0;
  private traces = 0;
  constructor(private readonly planned: readonly string[] = []) {}

  traceId(): string {
    const i = this.traces++;
    return this.planned[i] ?? (i + 1).toString(16).padStart(32, '0');
  }

  spanId(): string {
    return (++this.spans).toString(16).padStart(16, '0');
  }
}

/** A trace id whose low 56 bits (what the ratio sampler reads) are all ones: sampled at any ratio > 0. */
export const ALWAYS_SAMPLED_ID = 'aaaaaaaaaaaaaaaaaaffffffffffffff';
/** Low 56 bits = 1: sampled only at ratio 1. */
export const RARELY_SAMPLED_ID = 'aaaaaaaaaaaaaaaaaa00000000000001';
/** Low 56 bits = 2^55 (+1): sampled at ratio > ~0.5, not at ratio < 0.5. */
export const MIDDLE_ID = 'aaaaaaaaaaaaaaaaaa80000000000001';

export const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const PARENT_SPAN = '00f067aa0ba902b7';

export function exportSpec(overrides: Partial<TracingExportSpec> = {}): TracingExportSpec {
  return { url: 'http://collector.invalid/v1/traces', headers: {}, timeoutMs: 1000, maxQueueSpans: 100, maxBatchSpans: 10, flushIntervalMs: 1000, ...overrides };
}

export function tracingSpec(overrides: Partial<TracingSpec> = {}): TracingSpec {
  return {
    propagation: true,
    ratio: 1,
    parentBased: true,
    keepErrors: false,
    serviceName: 'weir',
    resourceAttributes: {},
    export: null,
    ...overrides,
  };
}

/** A sink that keeps what it is given and answers each batch at once with `ok`. */
export class RecordingSink implements SpanSink {
  readonly batches: SpanRecord[][] = [];
  /** Pending `done` callbacks when `hold` is set. */
  readonly held: ((ok: boolean) => void)[] = [];
  shutdowns = 0;
  constructor(
    private readonly ok = true,
    private readonly hold = false,
  ) {}

  export(batch: SpanBatch, done: (ok: boolean, retryable?: boolean) => void): void {
    this.batches.push(decodeSpanRecords(batch.bytes));
    if (this.hold) this.held.push(done);
    else done(this.ok);
  }

  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

/** A queue over a `RecordingSink` that sends a batch per request's spans (no timers are ever armed). */
export function immediateQueue(sink: SpanSink = new RecordingSink()): SpanQueue {
  return new SpanQueue(sink, { maxQueueSpans: 100, maxBatchSpans: 1, flushIntervalMs: 1000 });
}

export const SCOPE: TraceScope = {
  group: new SpanGroup(createResource({ 'service.name': 'weir' }), weirScope('1')),
  version: 'v7',
  arm: 'stable',
};
