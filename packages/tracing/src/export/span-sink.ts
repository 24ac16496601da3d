/**
 * One closed batch of spans: a whole OTLP `ExportTraceServiceRequest` in protobuf (`SpanQueue`
 * writes it; the sink sends it as it is) and how many spans it holds (for the counters).
 */
export interface SpanBatch {
  readonly spans: number;
  readonly bytes: Uint8Array;
}

/**
 * Where finished spans go. `SpanQueue` calls `export` with at most one batch in flight and
 * waits for `done` before it sends the next one.
 */
export interface SpanSink {
  /**
   * Send one batch. Must call `done` exactly once: `ok` when the collector accepted the batch;
   * otherwise `retryable` says whether the failure was transient (the sink has already retried).
   * Must not throw; `SpanQueue` still guards against it. `batch.bytes` is the sink's until it
   * calls `done`: the queue then reuses the buffer for a later batch.
   */
  export(batch: SpanBatch, done: (ok: boolean, retryable?: boolean) => void): void;
  /** Wait for in-flight exports and release connections. */
  shutdown(): Promise<void>;
}
