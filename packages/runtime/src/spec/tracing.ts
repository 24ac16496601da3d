/**
 * Tracing in the spec (config `tracing`, issue 18). Every worker reads it to decide, per request,
 * whether to continue or start a trace, whether to record spans, and where to send them; the
 * primary reads the same settings for its own spans (applies, rollouts, bundle pulls).
 */
export interface TracingSpec {
  /** Continue/start traces and send `traceparent` upstream; false = headers untouched, no ids. */
  readonly propagation: boolean;
  /** Share of new traces that get spans, 0-1 (TraceIdRatioBased on the trace id). */
  readonly ratio: number;
  /** Honour the caller's sampled flag. */
  readonly parentBased: boolean;
  /** Export the spans of 5xx and proxy-error requests whatever the ratio. */
  readonly keepErrors: boolean;
  /** `service.name`. */
  readonly serviceName: string;
  /** Extra resource attributes, keys sorted. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** Where spans go; null = no spans are recorded (propagation only). */
  readonly export: TracingExportSpec | null;
}

export interface TracingExportSpec {
  /** The full OTLP/HTTP traces URL (`/v1/traces` appended to a base endpoint). */
  readonly url: string;
  /** Collector request headers, names lower-cased, keys sorted. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxQueueSpans: number;
  readonly maxBatchSpans: number;
  readonly flushIntervalMs: number;
}
