import * as http from 'node:http';
import * as https from 'node:https';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, type ISerializer, type IExportTraceServiceResponse } from '@opentelemetry/otlp-transformer';
import { WeirError } from '@weir/errors';
import type { SpanBatch, SpanSink } from './span-sink';

/**
 * Requests already encoded by `SpanQueue` with Weir's one-pass OTLP encoder (see otlp-encoder.ts
 * for why and how it is checked), responses decoded by the maintained serializer.
 */
const WEIR_TRACE_SERIALIZER: ISerializer<SpanBatch, IExportTraceServiceResponse> = {
  serializeRequest: (batch) => batch.bytes,
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

/**
 * The maintained OTLP/HTTP exporter (`@opentelemetry/exporter-trace-otlp-proto`'s
 * `OTLPTraceExporter` is exactly this class with the maintained serializer): the
 * `otlp-exporter-base` HTTP delegate (transport, headers, timeout, retries with backoff, the
 * `OTEL_EXPORTER_OTLP_*` environment) with Weir's serializer.
 */
class WeirTraceExporter extends OTLPExporterBase<SpanBatch> {
  constructor(config: Parameters<typeof convertLegacyHttpOptions>[0]) {
    super(createOtlpHttpExportDelegate(convertLegacyHttpOptions(config, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }), WEIR_TRACE_SERIALIZER));
  }
}

/** Options of `createOtlpSink`, validated once when the sink is built. */
export interface OtlpSinkOptions {
  /** The full traces URL (the spec's `tracing.export.url`: `/v1/traces` already appended), http or https. */
  readonly url: string;
  /** Sent with every export request, e.g. `authorization`. Copied. */
  readonly headers: Record<string, string>;
  /**
   * Deadline of one export *including* the exporter's own retries: the exporter retries 429, 502,
   * 503, 504 and network errors with backoff (1 s, x1.5, jitter, or the `Retry-After` value) only
   * while the next attempt still fits in this deadline.
   */
  readonly timeoutMs: number;
}

/**
 * In-flight exports the OTLP exporter accepts before it fails new ones with "Concurrent export
 * limit reached". `SpanQueue` keeps one batch in flight, so the limit is never reached; it is
 * above 1 so an export started just before `shutdown` cannot make a final flush fail.
 */
const CONCURRENCY_LIMIT = 4;

/** Status codes the exporter does not retry because another attempt cannot succeed. */
function isPermanent(error: Error | undefined): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 400 && code < 500 && code !== 408 && code !== 429;
}

/**
 * A `SpanSink` over the maintained OTLP/HTTP exporter (`otlp-exporter-base`: HTTP transport,
 * headers, timeout and retry with backoff) with Weir's encoder. Weir adds only the agent (so `shutdown` closes its keep-alive sockets)
 * and the translation of the exporter's result to `done(ok, retryable)`.
 *
 * Note: the exporter also reads the standard `OTEL_EXPORTER_OTLP_*` environment variables for
 * what the options leave unset (e.g. extra headers, compression).
 */
class OtlpSink implements SpanSink {
  private readonly exporter: WeirTraceExporter;
  private agent: http.Agent | null = null;

  constructor(options: OtlpSinkOptions) {
    this.exporter = new WeirTraceExporter({
      url: options.url,
      headers: { ...options.headers },
      timeoutMillis: options.timeoutMs,
      concurrencyLimit: CONCURRENCY_LIMIT,
      httpAgentOptions: (protocol: string) => this.createAgent(protocol),
    });
  }

  export(batch: SpanBatch, done: (ok: boolean, retryable?: boolean) => void): void {
    try {
      this.exporter.export(batch, (result: ExportResult) => {
        if (result.code === ExportResultCode.SUCCESS) done(true);
        else done(false, !isPermanent(result.error));
      });
    } catch {
      // The exporter throws only on what it cannot send at all: retrying would fail again.
      done(false, false);
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.exporter.shutdown();
    } finally {
      this.agent?.destroy();
      this.agent = null;
    }
  }

  private createAgent(protocol: string): http.Agent {
    const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.agent = agent;
    return agent;
  }
}

/**
 * Build the OTLP sink. Throws WEIR_ERR_CONFIG_INVALID for a URL that is not http(s) or a
 * timeout that is not a positive number.
 */
export function createOtlpSink(options: OtlpSinkOptions): SpanSink {
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch (cause) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `tracing export URL is not a URL: ${options.url}`, { cause });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `tracing export URL must be http or https: ${options.url}`);
  }
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `tracing export timeout must be a positive number of ms: ${options.timeoutMs}`);
  }
  return new OtlpSink(options);
}
