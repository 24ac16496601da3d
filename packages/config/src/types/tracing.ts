/**
 * `tracing` (issue 18): W3C trace context through the proxy and OpenTelemetry spans over
 * OTLP/HTTP. See apps/weir/docs/tracing.md.
 *
 * Without the section, Weir propagates trace context (a valid incoming `traceparent` is
 * continued, an absent or invalid one starts a new trace id, the upstream sees Weir's span id
 * as its parent) and records no spans. Spans are recorded only with `export`.
 */
export interface TracingConfig {
  /**
   * Continue the caller's trace and send `traceparent` (and the caller's `tracestate`) upstream
   * with Weir's span as the parent. `false`: the headers pass through untouched and no ids are
   * made (nothing is sampled either). Default `true`.
   */
  readonly propagation?: boolean;
  /** Which requests get spans. Only meaningful with `export`. */
  readonly sampling?: TracingSamplingConfig;
  /** Where spans go (OTLP over HTTP, protobuf). Default: none (no spans are recorded). */
  readonly export?: TracingExportConfig;
  /** `service.name` of Weir's spans. Default `"weir"`. */
  readonly serviceName?: string;
  /** Extra resource attributes of every span (`deployment.environment`, ...). Default none. */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
}

export interface TracingSamplingConfig {
  /**
   * Share of new traces (no sampled decision from the caller) that get spans, 0-1, decided from
   * the trace id as OpenTelemetry's `TraceIdRatioBased` does (the same trace gets the same
   * decision in every worker and every service using that sampler). Default `1` (OpenTelemetry's
   * `parentbased_always_on`). `routes[].tracing.ratio` overrides it per route.
   */
  readonly ratio?: number;
  /** Honour the caller's sampled flag when a valid `traceparent` comes in. Default `true`. */
  readonly parentBased?: boolean;
  /**
   * Also export the spans of a request that ends in a 5xx or a proxy error, whatever the ratio
   * (the upstream was already told "not sampled"; only Weir's spans are kept). Default `false`.
   */
  readonly keepErrors?: boolean;
}

export interface TracingExportConfig {
  /**
   * The OTLP/HTTP collector, `http://` or `https://`: a base URL (`http://127.0.0.1:4318`, to
   * which `/v1/traces` is appended) or the full traces URL ending in `/v1/traces`.
   */
  readonly endpoint: string;
  /** Request headers for the collector (for example `authorization`). Default none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time allowed for one export request, 1-60000 ms. Default `10000`. */
  readonly timeoutMs?: number;
  /** Spans waiting per worker, 1-1000000; a span beyond it is dropped and counted. Default `2048`. */
  readonly maxQueueSpans?: number;
  /** Spans per export request, 1-10000, at most `maxQueueSpans`. Default `512`. */
  readonly maxBatchSpans?: number;
  /** Longest a span waits before its batch is sent, 1-60000 ms. Default `1000`. */
  readonly flushIntervalMs?: number;
}

/** `routes[].tracing`: per-route sampling. */
export interface RouteTracingConfig {
  /** Share of new traces on this route that get spans, 0-1; overrides `tracing.sampling.ratio`. */
  readonly ratio?: number;
}
