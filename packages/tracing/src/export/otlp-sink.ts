import * as http from 'node:http';
import * as https from 'node:https';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { WeirError } from '@weir/errors';
import type { SpanRecord } from '../span-record/index';
import type { SpanSink } from './span-sink';

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
 * A `SpanSink` over the maintained OTLP/HTTP protobuf exporter (`OTLPTraceExporter` of
 * `@opentelemetry/exporter-trace-otlp-proto`): its serializer, HTTP transport, headers, timeout
 * and retry with backoff. Weir adds only the agent (so `shutdown` closes its keep-alive sockets)
 * and the translation of the exporter's result to `done(ok, retryable)`.
 *
 * Note: the exporter also reads the standard `OTEL_EXPORTER_OTLP_*` environment variables for
 * what the options leave unset (e.g. extra headers, compression).
 */
class OtlpSink implements SpanSink {
  private readonly exporter: OTLPTraceExporter;
  private agent: http.Agent | null = null;

  constructor(options: OtlpSinkOptions) {
    this.exporter = new OTLPTraceExporter({
      url: options.url,
      headers: { ...options.headers },
      timeoutMillis: options.timeoutMs,
      concurrencyLimit: CONCURRENCY_LIMIT,
      httpAgentOptions: (protocol: string) => this.createAgent(protocol),
    });
  }

  export(spans: SpanRecord[], done: (ok: boolean, retryable?: boolean) => void): void {
    try {
      this.exporter.export(spans, (result: ExportResult) => {
        if (result.code === ExportResultCode.SUCCESS) done(true);
        else done(false, !isPermanent(result.error));
      });
    } catch {
      // The serializer throws only on records it cannot encode: retrying would fail again.
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
