import type { SpanRecord } from '../span-record/index';

/**
 * Where finished spans go. `SpanQueue` calls `export` with at most one batch in flight and
 * waits for `done` before it sends the next one.
 */
export interface SpanSink {
  /**
   * Send one batch. Must call `done` exactly once: `ok` when the collector accepted the batch;
   * otherwise `retryable` says whether the failure was transient (the sink has already retried).
   * Must not throw; `SpanQueue` still guards against it.
   */
  export(spans: SpanRecord[], done: (ok: boolean, retryable?: boolean) => void): void;
  /**
   * Optional: called by `SpanQueue.push` for every span it accepts, while the span's data is
   * still hot in the CPU cache (the OTLP sink encodes it there; see otlp-encoder.ts).
   */
  prepare?(span: SpanRecord): void;
  /** Wait for in-flight exports and release connections. */
  shutdown(): Promise<void>;
}
